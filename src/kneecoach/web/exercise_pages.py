"""The exercise reference and the exercises' moving figures."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach import definitions
from kneecoach.domain.errors import InvalidInput
from kneecoach.web.context import Web, Who


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/exercises", response_class=HTMLResponse)
    def exercises(request: Request, who: Who) -> Response:
        return web.page.render(
            request,
            "exercises.html",
            title="Exercises",
            heading="Exercises",
            exercises=list(definitions.catalogue()),
            single=False,
            **web.base(who),
        )

    @app.get("/exercises/{key}/figure.svg")
    def exercise_figure_svg(
        key: str,
        who: Who,
        variant: str | None = None,
        side: str = "left",
        speed: float = 1.0,
        still: bool = False,
        hold: float | None = None,
    ) -> Response:
        """The animated (or still) figure; the player asks for it at its own speed."""
        from kneecoach.exports.figure_svg import exercise_figure

        try:
            found = definitions.catalogue().find(key)
        except InvalidInput:
            raise HTTPException(status_code=404, detail="no such exercise") from None
        try:
            chosen = found.chosen_variant(variant).key
        except InvalidInput:
            raise HTTPException(status_code=404, detail="no such variant") from None
        if not 0 < speed <= 1000 or (hold is not None and not 0 < hold <= 3600):
            raise HTTPException(status_code=400, detail="speed or hold out of range")
        try:
            svg = exercise_figure(found, chosen, side, speed=speed, still=still, hold_seconds=hold)
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return Response(
            svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
        )

    @app.get("/exercises/{key}", response_class=HTMLResponse)
    def exercise(request: Request, key: str, who: Who) -> Response:
        try:
            found = definitions.catalogue().find(key)
        except InvalidInput:
            raise HTTPException(status_code=404, detail="no such exercise") from None
        return web.page.render(
            request,
            "exercises.html",
            title=found.name,
            heading=found.name,
            exercises=[found],
            single=True,
            **web.base(who),
        )
