"""The zh-CN scan: ASCII letter runs a Chinese reader would see as English, after removing
what is legitimately Latin in Chinese text (codes, grade letters, file formats, units)."""

from __future__ import annotations

import re

# Latin words that belong in Chinese text: file formats, protocols, grade letters, units,
# the language switch, and product names that have no Chinese form.
ALLOWED = {
    "CSV",
    "XLSX",
    "JSON",
    "HTML",
    "API",
    "URL",
    "UTF",
    "BOM",
    "NDJSON",
    "GTIN",
    "HMAC",
    "AA",
    "A",
    "B",
    "C",
    "English",
    "km",
    "kg",
    "mg",
    "ml",
    "g",
    "L",
    "pH",
    "SHA",
    "Excel",
    "ID",
    "SVG",
    "PDF",
    "XLS",
    "QR",
    "GB",
    "T",
    "SAMR",
}
# USCC (18) and organisation codes (9, or 8-1), with or without lower case, and hex digests
CODE = re.compile(
    r"\b[0-9A-Za-z]{18}\b|\b[0-9A-Za-z]{8}-?[0-9A-Za-z]\b|\b[0-9a-f]{16,}\b|\b[0-9A-Za-z_-]{40,}\b"
    # identifiers that carry a digit: source references, rule set ids, ISO timestamps
    r"|[A-Za-z0-9_.+-]*[0-9][A-Za-z0-9_.+-]*"
)
WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str) -> list[str]:
    """Latin-letter runs in `text` that are not codes or allowed words, in order."""
    stripped = CODE.sub(" ", text)
    return [w for w in WORD.findall(stripped) if w not in ALLOWED]
