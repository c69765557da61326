"""Vietnamese text folding for search: lower case, no diacritics, đ → d.

"Đăng ký khai sinh", "dang ky khai sinh" and "ĐĂNG KÝ KHAI SINH" all fold to
"dang ky khai sinh". The standard library does it (NFD, then drop the combining marks);
đ/Đ are separate letters, not a d with a mark, so they are mapped by hand.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Fold text for diacritics- and case-insensitive matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def normalise(text: str) -> str:
    """Lower case and composed (NFC) but with diacritics kept, for exact-accent ranking."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def search_words(text: str) -> list[str]:
    """The folded words of a text; codes such as 1.001193 or 1.001193.H56 stay one word."""
    return _WORD.findall(fold(text))


def search_text(text: str) -> str:
    """Folded words between single spaces, padded, so " word " matches whole words only."""
    return f" {' '.join(search_words(text))} "
