"""Invitations in a real browser: a coordinator invites a newcomer (no e-mail, Arabic) and a
driver (e-mail, Spanish); each opens the link from their printed card, chooses a password and
is signed in, then signs in again with phone or e-mail. The printed card is the guide's
screenshot (docs/img/invitation-card.png)."""

from __future__ import annotations

import re
from pathlib import Path

import segno

from tests.web.browser.conftest import axe_violations, choose_language, screenshot, sign_in

CARD_IMAGE = Path(__file__).resolve().parents[3] / "docs" / "img" / "invitation-card.png"
DESKTOP = {"width": 1280, "height": 900}
D_ATTRIBUTE = re.compile(r'\bd="([^"]+)"')


def _invite(page, role: str, first_name: str, language: str, **contact: str) -> str:
    """Fill the People page's new-account form (no password) and return the card's link."""
    page.get_by_role("link", name="People", exact=True).click()
    page.wait_for_url("**/coordinator/people")
    page.locator("#role").select_option(role)
    page.locator("#preferred_language").select_option(language)
    page.locator("#first_name").fill(first_name)
    for name, value in contact.items():
        page.locator(f"#{name}").fill(value)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_selector(".invitation-card")
    return page.locator(".invitation-card .card-link").inner_text().strip()


def _qr_encodes(page, link: str) -> bool:
    """The card's QR code is exactly segno's code for the link (so a camera reads the link)."""
    drawn = page.locator(".invitation-card svg.qr").evaluate("e => e.outerHTML")
    expected = segno.make(link, error="m", micro=False).svg_inline(scale=4, border=4)
    return D_ATTRIBUTE.findall(drawn) == D_ATTRIBUTE.findall(expected)


def _path(link: str) -> str:
    return "/invite/" + link.rsplit("/invite/", 1)[1]


def _accept(browser, server: str, link: str, password: str, language: str | None = None):
    """The invited person opens the link on their own phone and chooses a password."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    phone = context.new_page()
    # The card says PUBLIC_URL (the default address here); the test server has its own port.
    phone.goto(_path(link))
    if language is not None:
        phone.locator("#language").select_option(language)
    phone.locator("#password").fill(password)
    phone.locator("#password_again").fill(password)
    phone.locator("form.card button[type=submit]").click()
    return context, phone


def test_a_newcomer_and_a_driver_accept_their_invitations(
    page, browser, server: str, live_app
) -> None:
    _app, emails, password = live_app
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")

    salma_link = _invite(page, "newcomer", "Salma", "ar", phone="612 345 678")
    card = page.locator(".invitation-card")
    assert card.get_attribute("dir") == "rtl" and card.get_attribute("lang") == "ar"
    assert _qr_encodes(page, salma_link)
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    CARD_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(CARD_IMAGE))
    screenshot(page, "coordinator-invitation-card-print")
    page.emulate_media(media="screen")

    luis_link = _invite(page, "driver", "Luis", "es", email="luis.invited@example.org")
    assert _qr_encodes(page, luis_link) and luis_link != salma_link

    context, phone = _accept(browser, server, salma_link, "salma's own long password")
    phone.wait_for_url("**/newcomer/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    screenshot(phone, "newcomer-invitation-accepted")
    phone.goto(_path(salma_link))  # the link is used up: a clear page, in her language
    assert phone.locator("html").get_attribute("lang") == "ar"
    assert phone.locator("h1").inner_text() == "هذا الرابط لم يعد يعمل"
    context.close()

    context, phone = _accept(browser, server, luis_link, "luis drives on tuesdays", "en")
    phone.wait_for_url("**/driver/")
    context.close()

    for who, secret, home in (
        ("612345678", "salma's own long password", "**/newcomer/"),
        ("luis.invited@example.org", "luis drives on tuesdays", "**/driver/"),
    ):
        context = browser.new_context(base_url=server)
        again = context.new_page()
        sign_in(again, who, secret)
        again.wait_for_url(home)
        context.close()
