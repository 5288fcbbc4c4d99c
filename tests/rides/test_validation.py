"""Names and free text: NFC, no bidi or control characters, something visible (issue 15).

Property tests (Hypothesis) over any text, plus the examples the security review used.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rides import clock
from rides.validation import (
    BIDI_CONTROLS,
    Checks,
    InvalidInput,
    check_wall_clock,
    clean_note,
    clean_text,
)

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


# -- wall-clock times ------------------------------------------------------------------------

SPRING_FORWARD = dt.date(2027, 3, 28)
AUTUMN_BACK = dt.date(2027, 10, 31)


def _wall_clock_codes(time: dt.time, day: dt.date) -> dict[str, str]:
    checks = Checks()
    check_wall_clock(checks, "time", time, [day])
    return {e.field: e.code for e in checks.errors}


@given(st.integers(min_value=0, max_value=59))
def test_every_minute_of_the_spring_forward_gap_is_refused(minute: int) -> None:
    """02:00-02:59 on the last Sunday of March does not happen in Madrid."""
    assert _wall_clock_codes(dt.time(2, minute), SPRING_FORWARD) == {"time": "nonexistent_time"}


def test_every_minute_of_the_gap_and_only_those_are_refused() -> None:
    """All 1440 minutes of that day: exactly the 60 of the gap are refused; the day before,
    none."""
    minutes = [dt.time(h, m) for h in range(24) for m in range(60)]
    refused = [t for t in minutes if _wall_clock_codes(t, SPRING_FORWARD)]
    assert refused == [dt.time(2, m) for m in range(60)]
    assert not any(_wall_clock_codes(t, SPRING_FORWARD - dt.timedelta(days=1)) for t in minutes)


@given(
    st.times(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5))])),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)
def test_any_time_with_an_offset_is_refused(time: dt.time, day: dt.date) -> None:
    """``10:00+05:00`` is not converted: the rider means the clock where they wait."""
    assert _wall_clock_codes(time, day) == {"time": "time_with_offset"}


def test_an_ambiguous_autumn_time_means_the_first_one() -> None:
    """02:30 on the last Sunday of October happens twice; it means summer time (UTC+2), so a
    rider is never picked up an hour late; it is accepted."""
    assert _wall_clock_codes(dt.time(2, 30), AUTUMN_BACK) == {}
    moment = clock.local_datetime(AUTUMN_BACK, dt.time(2, 30))
    assert moment.utcoffset() == dt.timedelta(hours=2)
    assert moment.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
