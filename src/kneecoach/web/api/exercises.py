"""The exercise reference and the exercises' figures (the SVG the players show)."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Path, Query
from fastapi.responses import Response

from kneecoach import definitions
from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.presenters import exercise_json
from kneecoach.web.api.access import Account
from kneecoach.web.api.errors import errors

Key = Annotated[str, Path(max_length=100, description="An exercise's key (GET /exercises).")]


def _exercise(key: str) -> Exercise:
    try:
        return definitions.catalogue().find(key)
    except InvalidInput:
        raise HTTPException(status_code=404, detail=f"no exercise '{key}'") from None


def add_routes(api: FastAPI) -> None:
    @api.get("/exercises")
    def exercises(user: Account) -> list[dict[str, Any]]:
        """Every exercise, with its default dosage and variants (`kneecoach exercises
        --json`)."""
        return [exercise_json(e, brief=True) for e in definitions.catalogue()]

    @api.get("/exercises/{key}", responses=errors(404, 422))
    def exercise(key: Key, user: Account) -> dict[str, Any]:
        """One exercise in full: instructions, cautions, what to look for, substitutes and
        each variant (`kneecoach exercises NAME --json`)."""
        return exercise_json(_exercise(key), brief=False)

    @api.get(
        "/exercises/{key}/figure.svg",
        response_class=Response,
        responses={
            **errors(404, 422),
            200: {"content": {"image/svg+xml": {}}, "description": "The figure (SVG)."},
        },
    )
    def exercise_figure(
        key: Key,
        user: Account,
        variant: Annotated[str | None, Query(max_length=100)] = None,
        side: Literal["left", "right", "both"] = "left",
        still: bool = False,
    ) -> Response:
        """The exercise's figure for one variant (default: the first) and leg, moving in
        the tempo of its repetitions, or its key positions side by side (``still``)."""
        from kneecoach.exports.figure_svg import exercise_figure as draw

        found = _exercise(key)
        try:
            chosen = found.chosen_variant(variant).key
        except InvalidInput:
            raise HTTPException(
                status_code=404, detail=f"{found.name} has no variant '{variant}'"
            ) from None
        return Response(draw(found, chosen, side, still=still), media_type="image/svg+xml")
