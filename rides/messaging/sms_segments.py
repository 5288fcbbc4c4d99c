"""How many SMS a text takes: GSM-7 or UCS-2 encoding, and the segments a carrier bills.

An SMS carries 140 bytes: 160 characters of the GSM-7 alphabet (3GPP TS 23.038), or 70 UTF-16
code units (UCS-2) as soon as one character is outside it (Arabic, Cyrillic, but also "á" or
"ș"). Longer texts are split into segments that each lose room to the concatenation header:
153 GSM-7 characters or 67 code units. Characters of the GSM-7 extension table (``€``, ``[``...)
take two septets, a character outside the Basic Multilingual Plane two code units, and neither
is split across two segments. Providers bill per segment, and phones show a long text cut in
odd places, so messages by SMS are written to fit (rides/messaging/sms_text.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: The GSM 03.38 basic character set (one septet each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table, reached with an escape septet: two septets each.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
MULTI = {"GSM-7": 153, "UCS-2": 67}

#: Look-alikes for punctuation phones type that GSM-7 lacks (what "smart encoding" does).
_PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u202f": " ",
}  # fmt: skip


@dataclass(frozen=True)
class Sizing:
    """A text as an SMS: its encoding, length in septets or code units, and segments."""

    encoding: str
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 basic or extension table."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _unit_lengths(text: str, encoding: str) -> list[int]:
    if encoding == "GSM-7":
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def sizing(text: str) -> Sizing:
    """Encoding, length and segment count of ``text`` sent as it is."""
    encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    lengths = _unit_lengths(text, encoding)
    units = sum(lengths)
    if units <= SINGLE[encoding]:
        return Sizing(encoding, units, 1 if units else 0)
    room, segments, used = MULTI[encoding], 1, 0
    for length in lengths:  # an escape pair or a surrogate pair never straddles two segments
        if used + length > room:
            segments, used = segments + 1, 0
        used += length
    return Sizing(encoding, units, segments)


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes."""
    return sizing(text).segments


def gsm_fold(text: str) -> str:
    """The text in GSM-7 when only accents and typographic punctuation keep it out ("Sacedón"
    becomes "Sacedon", "ș" "s"), which more than doubles the room of an SMS; otherwise (Arabic,
    Ukrainian) the text unchanged, since UCS-2 is needed anyway."""
    if is_gsm7(text):
        return text
    folded = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            folded.append(char)
        elif char in _PUNCTUATION:
            folded.append(_PUNCTUATION[char])
        else:
            base = unicodedata.normalize("NFD", char)[0]
            if base not in GSM7_BASIC:
                return text
            folded.append(base)
    return "".join(folded)
