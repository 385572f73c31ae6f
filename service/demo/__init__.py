"""Deterministic demo data (enterprises, dossiers, listings) loaded through the real store paths."""
