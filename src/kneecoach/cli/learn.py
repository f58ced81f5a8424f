"""``kneecoach learn``: the education cards, and how the terminal shows one."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from kneecoach.cli.common import console, print_json


def learn(
    json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
) -> None:
    """Read the education cards: pain and damage, load, insoles and taping, how long it takes."""
    from kneecoach.presenters import education_card_json
    from kneecoach.services.education import learn as all_cards

    cards = all_cards().cards
    if json:
        print_json([education_card_json(card) for card in cards])
        return
    for card in cards:
        show_card(card)


def show_card(card: Any) -> None:
    """A card's title, its words, its sources, and why it is shown now when it is."""
    out = console()
    why = (
        ""
        if card.moment is None
        else f" [dim](for {escape(card.moment)}: {escape(card.moment_source.label)})[/]"
    )
    out.print(f"\n[bold]{escape(card.title)}[/]{why}")
    out.print(escape(card.text))
    out.print(f"[dim]Sources: {escape('; '.join(s.label for s in card.sources))}[/]")
