"""Education on the web (evidence.md §10): the Learn page lists every card with its sources,
Today shows the card of the runner's moment, and the API gives the terminal's card."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from kneecoach.domain.education import CARDS
from tests.web.test_api import _token


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_learn_page_lists_every_card_with_its_sources_and_is_in_the_menu(owner):
    response = owner.get("/learn")
    assert response.status_code == 200
    page = _text(response.text)
    for card in CARDS:
        assert card.title in page and card.text in page
    assert "Sources: Crossley et al., BJSM 2016" in page
    assert '<a href="/learn">Learn</a>' in owner.get("/today").text


def test_today_in_the_first_week_shows_the_card_of_the_moment_as_the_api_gives_it(app, owner):
    page = _text(owner.get("/today").text)
    assert "Load and capacity" in page
    assert "For the first week [kneecoach default]" in page
    assert "Sources: Crossley et al., BJSM 2016" in page
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    card = api.get("/api/v1/today").json()["card"]
    assert card["key"] == "load-and-capacity" and card["text"] in page
