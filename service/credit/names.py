"""Enterprise-name folding for search (pure).

Registered names vary in width (全角/半角), spacing and company-form suffix
(有限公司 vs 有限责任公司); the public searches by what people type, so both sides are folded
the same way before comparison.
"""

from __future__ import annotations

import unicodedata

# Longest first so 股份有限公司 is stripped before 有限公司.
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "分公司",
    "公司",
    "厂",
    "co.,ltd.",
    "co.,ltd",
    "co.ltd",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
)
_DROP = set(" \t\u3000·.,，。()（）[]【】-_/'\"")


def fold(name: str) -> str:
    """NFKC, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in text if ch not in _DROP)


def name_key(name: str) -> str:
    """Folded name without its company-form suffix: the key names are matched on."""
    key = fold(name)
    for suffix in _SUFFIXES:
        folded_suffix = fold(suffix)
        if key.endswith(folded_suffix) and len(key) > len(folded_suffix):
            return key[: -len(folded_suffix)]
    return key
