"""SMS sizing: GSM-7 or UCS-2, segments, and a pickup SMS within two segments in each language."""

from __future__ import annotations

import datetime as dt

import pytest

from rides.messaging.sms_segments import gsm_fold, segments, sizing
from rides.messaging.sms_text import MAX_SEGMENTS, pickup_sms, sms_text
from rides.models import UI_LANGUAGES, OutboxMessage

LINK = "https://rural-cars.guadalajara.example.org/newcomer/"


def test_gsm7_fills_160_then_153_per_segment() -> None:
    assert sizing("a" * 160) == sizing("a" * 160) and sizing("a" * 160).segments == 1
    assert sizing("a" * 160).encoding == "GSM-7"
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3


def test_extension_characters_take_two_septets_and_are_never_split() -> None:
    """ "€" is in the extension table: 80 of them fill one SMS, and an escape pair that would
    straddle the 153rd septet moves whole to the next segment."""
    assert sizing("€" * 80).units == 160 and segments("€" * 80) == 1
    assert segments("€" * 81) == 2
    assert segments("a" * 152 + "€" + "a" * 152) == 3  # 152 + [2 does not fit] -> 2nd, 3rd
    assert sizing("[x]").units == 5 and sizing("[x]").encoding == "GSM-7"


def test_one_character_outside_gsm7_makes_the_whole_text_ucs2() -> None:
    """ "á" is not in GSM-7 (only à, é...): 70 then 67 code units per segment."""
    assert sizing("á" + "a" * 69) == sizing("a" * 69 + "á")
    assert sizing("a" * 69 + "á").encoding == "UCS-2" and segments("a" * 69 + "á") == 1
    assert segments("a" * 70 + "á") == 2
    assert segments("ب" * 134) == 2 and segments("ب" * 135) == 3
    assert segments("Ї" * 70) == 1 and segments("Ї" * 71) == 2


def test_characters_beyond_the_bmp_count_two_code_units() -> None:
    assert sizing("😀" * 35).units == 70 and segments("😀" * 35) == 1
    assert segments("😀" * 36) == 2
    assert segments("a" + "😀" * 33 + "a" * 66) == 2  # the pair at units 67-68 moves whole


def test_folding_to_gsm7_only_when_it_removes_ucs2() -> None:
    assert gsm_fold("Sacedón, “Plaza” – Peñalén") == 'Sacedon, "Plaza" - Peñalén'
    assert gsm_fold("Vînători, Sighișoara") == "Vinatori, Sighisoara"
    assert gsm_fold("Ваша поїздка: Sacedón") == "Ваша поїздка: Sacedón"


#: The longest municipality names of the province, its longest-named pickup point, a long
#: meeting point and destination (what a coordinator may really type).
LONGEST_VILLAGE = "Fuentelahiguera de Albatages"
MEETING_POINT = "junto a la fuente de la plaza Mayor, frente al ayuntamiento viejo"
DESTINATION = "Centro de Salud de Sigüenza (Hospital Comarcal, consultas externas)"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_pickup_sms_fits_two_segments_in_every_language(language: str) -> None:
    """The longest village, a long meeting point and a long destination: still 2 segments,
    with the time and the village intact."""
    text = pickup_sms(
        language, dt.date(2026, 12, 31), "09:10",
        LONGEST_VILLAGE, MEETING_POINT, DESTINATION, LINK,
    )  # fmt: skip
    assert segments(text) <= MAX_SEGMENTS, (language, sizing(text), text)
    assert gsm_fold(LONGEST_VILLAGE) in text and "10" in text


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_pickup_sms_keeps_the_link_when_it_fits(language: str) -> None:
    text = pickup_sms(language, dt.date(2026, 12, 3), "09:10", "Hita", "", "Guadalajara", LINK)
    assert segments(text) <= MAX_SEGMENTS
    assert text.endswith("\n" + LINK) and "Hita" in text and "Guadalajara" in text


def test_latin_languages_are_sent_in_gsm7() -> None:
    """Spanish with accents folds to GSM-7: 153 septets a segment instead of 67 code units."""
    text = pickup_sms("es", dt.date(2026, 12, 3), "09:10", "Sacedón", "", "Sigüenza", LINK)
    assert sizing(text).encoding == "GSM-7" and "Sacedon" in text
    assert (
        sizing(
            pickup_sms("ar", dt.date(2026, 12, 3), "09:10", "Hita", "", "Jadraque", LINK)
        ).encoding
        == "UCS-2"
    )


def test_the_stored_pickup_message_is_sent_as_the_short_text() -> None:
    """A pickup message keeps its values; by SMS it is the short text, with no subject."""
    message = OutboxMessage(
        id=1, kind="pickup_confirmed", language="uk", subject="Ваша поїздка",
        body="A long e-mail text", payload={
            "day": "2026-12-03", "time": "09:10", "village": "Hita",
            "meeting": "delante del ayuntamiento", "destination": "Guadalajara",
        },
    )  # fmt: skip
    text = sms_text(message)
    assert text.startswith("Заберемо вас") and "Hita (delante del ayuntamiento)" in text
    assert "Ваша поїздка" not in text and segments(text) <= MAX_SEGMENTS
    other = OutboxMessage(id=2, kind="route_offered", language="es", subject="s", body="Sacedón")
    assert sms_text(other) == "Sacedon"
