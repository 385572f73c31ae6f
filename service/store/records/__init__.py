"""The credit dossier: append-only record versions.

Owns ``credit_record``: ``write`` stores one record at a time (create, correct, status),
``followups`` adds Order 18 follow-up steps as new versions, ``ingest`` is the set-based
bulk path (``POST /v1/records/batch``, ``qcredit import``), ``rows`` holds what the write
paths share (canonical bodies, hashes, inserts), ``reads`` reads the dossier back. Writes
re-grade the enterprises they touch (:mod:`service.store.grading`) in the same transaction.
"""
