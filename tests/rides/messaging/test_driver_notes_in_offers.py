"""A rider's note for the driver reaches the driver in the route offer: by e-mail whole, by SMS
in the room the offer leaves within two segments; no note, no line; erasing the rider takes
their note out of the offer and leaves the others."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts.privacy import erase_person
from rides.messaging.notifications import app_link
from rides.messaging.sms_segments import gsm_fold, segments
from rides.messaging.sms_text import MAX_SEGMENTS, offer_sms, sms_text
from rides.models import OutboxMessage, Person
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)
PRAM = "I have a pram, and a big bag"
LINK = app_link("/driver/")


def _offer(session: Session, make: Factory, notes: dict[str, str | None], language: str = "en"):
    """Publish a day where one driver carries a rider per entry of ``notes`` (first name: the
    note they wrote), and return the driver's offer."""
    driver = make.driver(preferred_language=language)
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    for hour, (name, note) in enumerate(notes.items(), 9):
        make.request(make.newcomer(first_name=name), origin_id=make.place(ATIENZA).id,
                     time=dt.time(hour), driver_note=note)  # fmt: skip
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    query = select(OutboxMessage).where(
        OutboxMessage.kind == "route_offered", OutboxMessage.recipient_id == driver.id
    )
    (offer,) = session.scalars(query)
    return offer


def test_the_offer_carries_each_note_under_the_sentence(session: Session, make: Factory) -> None:
    """One line per rider who wrote a note, between the offer's sentence and its link; a rider
    without a note adds nothing, not an empty "Note from" line."""
    offer = _offer(session, make, {"Amina": PRAM, "Ioana": None})
    sentence, notes, link = offer.body.split("\n\n")
    assert sentence.startswith("2 passengers, first pickup at")
    assert notes == f"Note from Amina: {PRAM}"
    assert link == LINK
    assert "Ioana" not in offer.body and offer.body.count("Note") == 1


def test_an_offer_without_notes_is_as_before(session: Session, make: Factory) -> None:
    """No note on the route: the sentence and the link, nothing stored for notes, and the SMS is
    the folded body as for every other message."""
    offer = _offer(session, make, {"Amina": None, "Ioana": None})
    assert "Note" not in offer.body and "notes" not in offer.payload
    assert offer.body.split("\n\n")[1:] == [LINK]
    assert sms_text(offer) == gsm_fold(offer.body)


def test_the_sms_carries_the_note_in_the_driver_language(session: Session, make: Factory) -> None:
    """A Spanish driver reads the label in Spanish and the rider's words as written, folded to
    GSM-7 like the rest of the SMS, within two segments and with the link last."""
    offer = _offer(session, make, {"Amina": "Llevo carrito y más bolsas"}, language="es")
    text = sms_text(offer)
    assert "Nota de Amina: Llevo carrito y mas bolsas" in text
    assert text.endswith(LINK) and segments(text) <= MAX_SEGMENTS


def test_a_long_note_is_shortened_in_the_sms_not_the_e_mail(
    session: Session, make: Factory
) -> None:
    """Two notes of 200 characters: the e-mail has both whole; the SMS keeps the offer and the
    link whole, the first note cut with an ellipsis to fill two segments, the second left out."""
    first, second = "a" * 199 + "z", "b" * 200
    offer = _offer(session, make, {"Amina": first, "Ioana": second})
    assert f"Note from Amina: {first}\nNote from Ioana: {second}" in offer.body
    text = sms_text(offer)
    sentence = offer.body.split("\n\n")[0]
    assert text.startswith(f"{sentence}\n\nNote from Amina: aaa") and text.endswith(
        f"...\n\n{LINK}"
    )
    assert "z" not in text.split("\n\n")[1] and "Ioana" not in text
    assert segments(text) == MAX_SEGMENTS


@pytest.mark.parametrize(
    "sentence", ["Б" * 60, "ș" * 60, "a" * 100], ids=["cyrillic", "latin-folded", "gsm"]
)
@pytest.mark.parametrize("note", ["", "x", "مرحبا" * 40, "я" * 200, "y" * 200, "€[]" * 60])
def test_the_sms_never_takes_more_room_than_the_offer_needs(sentence: str, note: str) -> None:
    """Whatever the script of the offer and of the notes, the SMS keeps the sentence and the
    link whole and takes at most two segments, or no more than the offer without notes."""
    notes = [("Note from Amina: ", note), ("Note from Ioana: ", "ok")]
    text = offer_sms(sentence, notes, "/d")
    bare = offer_sms(sentence, [], "/d")
    assert text.startswith((sentence, gsm_fold(sentence))) and text.endswith(app_link("/d"))
    assert segments(text) <= max(MAX_SEGMENTS, segments(bare))


def test_a_note_with_no_room_is_left_out() -> None:
    """An offer that fills two segments on its own goes as it always did, without notes."""
    sentence = "Б" * 120
    text = offer_sms(sentence, [("Note from Amina: ", "I have a pram")], "/driver/")
    assert text == gsm_fold(f"{sentence}\n\n{LINK}")


def test_erasing_a_rider_takes_their_note_out_of_the_offer(session: Session, make: Factory) -> None:
    """The offer stays (and the other rider's note in it); the erased rider's words and first
    name are gone from its text, its stored values and its SMS."""
    offer = _offer(session, make, {"Amina": PRAM, "Ioana": "my son of 4 comes with me"})
    amina = session.scalar(select(Person).where(Person.first_name == "Amina"))
    assert amina is not None
    erase_person(session, amina)
    session.flush()
    session.refresh(offer)
    for text in (offer.body, str(offer.payload), sms_text(offer)):
        assert "pram" not in text and "Amina" not in text
    for text in (offer.body, sms_text(offer)):
        assert "Note from Ioana: my son of 4 comes with me" in text
    assert "my son of 4 comes with me" in offer.payload["notes"]
    assert offer.body.split("\n\n")[0].startswith("2 passengers") and offer.body.endswith(LINK)
