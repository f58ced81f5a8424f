"""In a real browser: a secret the app shows once (an invitation link, the calendar address,
an API token) has a button that puts exactly it on the clipboard and says "Copied" in a
status a screen reader reads out. Where the clipboard is refused the field is selected to copy
by hand, and without JavaScript the field is there to select and no button shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import (  # noqa: F401
    _sign_up,
    chromium,
    server,
    shot,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CLIPBOARD = ["clipboard-read", "clipboard-write"]


def _owner(chromium, server, viewport, **options):  # noqa: F811
    """The owner, signed up in a new browser context at ``viewport`` (and ``options``)."""
    page = chromium.new_context(viewport=viewport, **options).new_page()
    _sign_up(server, page)
    return page


def _clipboard(page) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def _copied(page, label, button):
    """Copies the value of the field labelled ``label`` with its button: the value, the
    clipboard after the click, and the status beside the field."""
    field = page.get_by_label(label, exact=True)
    box = page.locator(".copy-field").filter(has=field)
    value = field.input_value()
    box.get_by_role("button", name=button).click()
    status = box.get_by_role("status")
    expect(status).to_have_text("Copied")
    return value, _clipboard(page), status


@pytest.fixture(autouse=True)
def _close_contexts(chromium):  # noqa: F811
    yield
    for opened in chromium.contexts:
        opened.close()


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_copy_link_puts_exactly_the_invitation_link_on_the_clipboard_and_says_copied(
    chromium,  # noqa: F811
    server,  # noqa: F811
    viewport,
    name,
):
    page = _owner(chromium, server, viewport, permissions=CLIPBOARD)
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    link, clipboard, status = _copied(page, "Invitation link", "Copy link")
    assert link.startswith(server + "/") and clipboard == link
    shot(page, f"copy-link-clinic-{name}")
    expect(status).to_have_text("", timeout=5_000)  # "Copied" for a moment only

    page.goto(server + "/clinic/clinicians")
    page.get_by_role("button", name="Invite a clinician").click()
    link, clipboard, _ = _copied(page, "Clinician invitation link", "Copy link")
    assert link.startswith(server + "/") and clipboard == link
    shot(page, f"copy-link-clinicians-{name}")


def test_the_calendar_address_and_a_new_api_token_are_copied_the_same_way(
    chromium,  # noqa: F811
    server,  # noqa: F811
):
    page = _owner(chromium, server, PHONE, permissions=CLIPBOARD)
    page.goto(server + "/settings")
    page.get_by_role("button", name="Make an address").click()
    address, clipboard, _ = _copied(page, "Calendar address", "Copy address")
    assert address.startswith(server + "/") and clipboard == address
    shot(page, "copy-calendar-address")

    page.get_by_role("button", name="Create a token").click()
    token, clipboard, _ = _copied(page, "New API token", "Copy token")
    assert token and clipboard == token
    shot(page, "copy-api-token")


def test_where_the_clipboard_is_refused_the_link_is_selected_to_copy_by_hand_and_it_says_so(
    chromium,  # noqa: F811
    server,  # noqa: F811
):
    page = _owner(chromium, server, PHONE)
    page.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('refused', 'NotAllowedError'));"
    )
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    field = page.get_by_label("Invitation link", exact=True)
    page.get_by_role("button", name="Copy link").click()
    status = page.locator(".copy-field").get_by_role("status")
    expect(status).to_contain_text("Not copied")
    expect(status).to_contain_text("The link is selected: copy it by hand")
    expect(field).to_be_focused()
    selected = page.evaluate(
        "(() => { const f = document.activeElement;"
        " return f.value.substring(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == field.input_value() and selected.startswith(server + "/")
    shot(page, "copy-link-refused")


def test_where_the_page_has_no_clipboard_the_link_is_selected_to_copy_by_hand(
    chromium,  # noqa: F811
    server,  # noqa: F811
):
    """As on a site served without HTTPS, where the browser gives no clipboard to the page."""
    page = _owner(chromium, server, PHONE)
    page.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
    )
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-field").get_by_role("status")).to_contain_text("copy it by hand")
    expect(page.get_by_label("Invitation link", exact=True)).to_be_focused()


def test_without_javascript_the_link_is_there_to_select_and_no_button_shows(
    chromium,  # noqa: F811
    server,  # noqa: F811
):
    signed_in = _owner(chromium, server, PHONE).context.storage_state()
    page = chromium.new_context(
        viewport=PHONE, storage_state=signed_in, java_script_enabled=False
    ).new_page()
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    field = page.get_by_label("Invitation link", exact=True)
    expect(field).to_be_visible()
    assert field.input_value().startswith(server + "/")
    button = page.locator(".copy-field button", has_text="Copy link")
    expect(button).to_have_count(1)
    expect(button).to_be_hidden()  # a button that would do nothing is not offered


def test_reloading_a_page_that_showed_a_secret_once_makes_no_second_one(
    chromium,  # noqa: F811
    server,  # noqa: F811
):
    """The page a secret is shown on answers a POST: reloading it read the page again as the
    plain address it stands for, where the browser would send the form again (a second
    invitation made unseen; a new calendar address that revokes the one just copied)."""
    page = _owner(chromium, server, PHONE)
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    expect(page.get_by_label("Invitation link", exact=True)).to_be_visible()
    assert page.url == server + "/clinic"
    page.reload()
    expect(page.get_by_role("button", name="Create an invitation link")).to_be_visible()
    expect(page.get_by_label("Invitation link", exact=True)).to_have_count(0)

    page.goto(server + "/settings")
    page.get_by_role("button", name="Make an address").click()
    address = page.get_by_label("Calendar address", exact=True).input_value()
    assert page.url == server + "/settings"
    page.reload()
    expect(page.get_by_text("A calendar address is active.")).to_be_visible()
    assert page.request.get(address).status == 200  # the address copied still stands
    assert [url.removeprefix(server) for url in posted] == ["/clinic/invite", "/settings/calendar"]
