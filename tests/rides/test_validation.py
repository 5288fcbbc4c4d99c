"""Names and free text: NFC, no bidi or control characters, something visible (issue 15).

Property tests (Hypothesis) over any text, plus the examples the security review used.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rides.validation import BIDI_CONTROLS, Checks, InvalidInput, clean_note, clean_text

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", *map(chr, range(0x80, 0xA0))]


def _clean(value: str, *, multiline: bool = False) -> tuple[str | None, dict[str, str]]:
    checks = Checks()
    text = clean_text(checks, "first_name", value, max_length=80, multiline=multiline)
    return text, {e.field: e.code for e in checks.errors}


@given(st.text(max_size=30), st.sampled_from(sorted(BIDI_CONTROLS)), st.text(max_size=30))
def test_any_text_with_a_bidi_control_is_refused(before: str, control: str, after: str) -> None:
    text, codes = _clean(before + control + after)
    assert text is None and codes["first_name"] in {"bidi_control", "control_character"}


@given(st.text(max_size=30), st.sampled_from(CONTROLS), st.text(max_size=30))
@example("Ana", "\x00", "")
@example("Ana", "\t", "María")
@example("Ana", "\n", "María")
def test_any_name_with_a_control_character_is_refused(
    before: str, control: str, after: str
) -> None:
    text, codes = _clean(before + control + after)
    assert text is None and codes["first_name"] in {"bidi_control", "control_character"}


@given(st.text(max_size=100))
@example("\u200b\u200b")
@example("\u3164")
@example("A\u0301na")
def test_any_accepted_name_is_nfc_trimmed_and_visible(value: str) -> None:
    text, codes = _clean(value)
    if text is None:
        return
    assert not codes
    assert unicodedata.is_normalized("NFC", text) and text == text.strip()
    assert any(unicodedata.category(c)[0] in "LNPS" for c in text)
    assert not any(unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS for c in text)
    assert len(text) <= 80


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("\u202eanA", "bidi_control"),
        ("Ana\u2066x\u2069", "bidi_control"),
        ("\u200b", "no_visible_character"),
        ("\u200b\u200c\u200d\ufeff", "no_visible_character"),
        ("   \u00a0 ", None),
        ("Ana\x00", "control_character"),
        ("Ana\tMaría", "control_character"),
        ("Ana\nMaría", "control_character"),
        ("Ana\u2028María", "control_character"),
        ("x" * 81, "too_long"),
    ],
)
def test_the_review_examples_are_refused_with_a_code(value: str, code: str | None) -> None:
    """Each refused value names the field and why; blank is simply empty (None, no error)."""
    text, codes = _clean(value)
    assert text is None and codes == ({"first_name": code} if code else {})


def test_accepted_text_is_normalised_and_marks_are_kept() -> None:
    """Decomposed accents are composed; Arabic with a right-to-left mark is a valid name."""
    assert _clean(" Jose\u0301 ")[0] == "José"
    assert _clean("أمينة\u200f")[0] == "أمينة\u200f"


def test_notes_may_have_lines_but_not_tabs() -> None:
    """Free text keeps its lines (CRLF as LF); a tab or NUL is refused naming the field."""
    assert clean_note("reason", "car broke\r\ndown") == "car broke\ndown"
    assert clean_note("reason", "  ") is None
    for bad in ("a\tb", "a\x00b", "\u202e"):
        with pytest.raises(InvalidInput) as caught:
            clean_note("reason", bad)
        assert set(caught.value.fields) == {"reason"}
