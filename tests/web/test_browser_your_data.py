"""Your data in a real browser: the CSV and the backup downloaded from the page, and the
backup restored into a second account — once with what was added, then adding nothing."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import _sign_up, menu_link, shot

# The running app and the phone-sized chromium page: test_browser's fixtures, shared.
from tests.web.test_browser import chromium as chromium
from tests.web.test_browser import page as page
from tests.web.test_browser import server as server

pytestmark = pytest.mark.browser


def _download(page, link: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link, exact=True).click()
    return info.value


def test_the_csv_and_the_backup_download_and_the_backup_restores_into_another_account(
    server, page, tmp_path
):
    _sign_up(server, page)
    page.get_by_label("Highest knee pain during the session (0–10)").fill("2")
    page.get_by_role("button", name="Log today's session as done").click()
    page.wait_for_url("**/today")
    menu_link(page, "Settings").click()
    page.get_by_role("link", name="your data").click()
    page.wait_for_url("**/settings/data")
    shot(page, "your-data")

    sheets = _download(page, "Spreadsheets")
    assert sheets.suggested_filename.endswith(".zip")
    sheets.save_as(tmp_path / "csv.zip")
    archive = zipfile.ZipFile(tmp_path / "csv.zip")
    assert len(archive.read("sessions.csv").decode().splitlines()) == 1 + 27
    backup = _download(page, "Full backup")
    assert backup.suggested_filename.startswith("kneecoach-backup-")
    saved = tmp_path / backup.suggested_filename
    backup.save_as(saved)

    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    link = page.get_by_label("Invitation link").input_value()
    ben = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    ben.goto(link)
    ben.get_by_label("Name").fill("ben")
    ben.get_by_label("Password (at least 10 characters)").fill("another long password")
    ben.get_by_role("button", name="Create my account").click()
    ben.wait_for_url("**/onboarding")
    ben.get_by_label("None of these apply to me").check()
    ben.get_by_label("Your age band").select_option("16-50")
    ben.get_by_role("button", name="Start my program").click()
    ben.wait_for_url("**/today")
    ben.goto(server + "/settings/data")
    ben.get_by_label("Backup file (.json)").set_input_files(saved)
    ben.get_by_role("button", name="Restore").click()
    expect(ben.get_by_role("heading", name="Backup restored")).to_be_visible()
    expect(ben.get_by_role("row", name="sessions 1 0")).to_be_visible()
    shot(ben, "your-data-restored")
    ben.get_by_label("Backup file (.json)").set_input_files(saved)
    ben.get_by_role("button", name="Restore").click()
    expect(ben.get_by_text(f"0 records added from {saved.name}")).to_be_visible()
    ben.goto(server + "/history")
    expect(ben.get_by_role("cell", name="27/27")).to_be_visible()
