"""Your account in a real browser: the password changed from the account page, the other
browser signed out by it, and the new password the one that logs in."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _sign_up, menu_link, shot

# The running app and the phone-sized chromium page: test_browser's fixtures, shared.
from tests.web.test_browser import chromium as chromium
from tests.web.test_browser import page as page
from tests.web.test_browser import server as server

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a much newer password"


def test_the_password_is_changed_on_the_account_page_and_the_other_browser_is_signed_out(
    server, page
):
    _sign_up(server, page)
    other = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    other.goto(server + "/login")
    other.get_by_label("Name").fill("ana")
    other.get_by_label("Password").fill("correct horse battery")
    other.get_by_role("button", name="Log in").click()
    other.wait_for_url("**/today")

    menu_link(page, "Settings").click()
    page.get_by_role("link", name="your account").click()
    page.wait_for_url("**/settings/account")
    assert page.get_by_role("button", name="End").count() == 1  # the other browser
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    assert "current password is not right" in page.get_by_role("alert").inner_text()

    page.get_by_label("Current password").fill("correct horse battery")
    page.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    assert "Your password is changed" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="End").count() == 0
    shot(page, "account")

    other.goto(server + "/settings")
    other.wait_for_url("**/login")
    other.get_by_label("Name").fill("ana")
    other.get_by_label("Password").fill(NEW_PASSWORD)
    other.get_by_role("button", name="Log in").click()
    other.wait_for_url("**/today")
