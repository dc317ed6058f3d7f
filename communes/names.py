"""Normalisation of Vietnamese unit names and headers.

Two spellings mean the same name when their keys are equal: NFC or NFD input,
old or new tone-mark placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"), letter case, dashes
and spacing. Tone marks are kept, so "Thuận Hòa" and "Thuận Hóa" stay apart.

>>> name_key("Phường Thuận Hoà") == name_key("phường  thuận hòa")
True
>>> name_key("Thuận Hòa") == name_key("Thuận Hóa")
False
"""
from __future__ import annotations

import re
import unicodedata

# Combining tone marks (huyền, sắc, ngã, hỏi, nặng); vowel marks (ˆ ˘ horn) are kept in place.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_SPACES = re.compile(r"\s+")

# Unit-type prefixes as exports write them: full, abbreviated, or without diacritics.
_PREFIXES = [
    ("đặc khu", "Đặc khu"), ("dac khu", "Đặc khu"),
    ("thị trấn", "Thị trấn"), ("thi tran", "Thị trấn"), ("tt.", "Thị trấn"), ("tt ", "Thị trấn"),
    ("phường", "Phường"), ("phuong", "Phường"), ("p.", "Phường"), ("p ", "Phường"),
    ("xã", "Xã"), ("xa ", "Xã"), ("x.", "Xã"),
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _syllable_key(word: str) -> str:
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def name_key(text: str) -> str:
    """Key for comparing names: case, spacing, dashes and tone placement folded."""
    text = _DASHES.sub(" - ", nfc(str(text)).strip().lower())
    text = _SPACES.sub(" ", text.replace(".", ". ")).strip()
    return " ".join(_syllable_key(w) for w in text.split(" "))


def ascii_key(text: str) -> str:
    """Key with every diacritic removed: for headers, and as a last resort for names.

    >>> ascii_key(" Ngày tiếp nhận ")
    'ngay tiep nhan'
    """
    text = unicodedata.normalize("NFD", nfc(str(text)).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9%()]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def split_type(text: str) -> tuple[str | None, str]:
    """Split a leading unit type ("Phường", "P.", "Xã", "TT.") from a name.

    >>> split_type("P. Phong Quảng")
    ('Phường', 'Phong Quảng')
    """
    s = _SPACES.sub(" ", nfc(str(text)).strip())
    low = s.lower()
    for prefix, kind in _PREFIXES:
        if low.startswith(prefix) and len(s) > len(prefix):
            rest = s[len(prefix):].strip()
            if rest:
                return kind, rest
    return None, s
