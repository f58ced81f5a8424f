"""The app on a phone's home screen, working with no signal: the web app manifest and the
service worker (static/service-worker.js, served from the site's root so that it may look
after every page).

The worker is versioned by the app's version and a digest of the static files it keeps, so
a newer deployment is a new worker, which replaces the old one's cache. Neither answer holds
anyone's data: both are served to any visitor (browsers fetch a manifest without cookies)."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import hashlib
import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

from kneecoach import __version__
from kneecoach.web.context import Web

STATIC = Path(__file__).parent / "static"
WORKER = STATIC / "service-worker.js"
VERSION_MARK = "__KNEECOACH_VERSION__"
THEME = "#136b85"
"""The colour of the icon's tile, for the phone's title bar."""
ICONS = (
    {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
    {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {
        "src": "/static/icon-maskable.svg",
        "sizes": "any",
        "type": "image/svg+xml",
        "purpose": "maskable",
    },
    {
        "src": "/static/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
)
MANIFEST = {
    "id": "/today",
    "name": "kneecoach",
    "short_name": "kneecoach",
    "description": "Back to running with runner's knee: today's exercises, guided, "
    "and how the knee takes them.",
    "lang": "en",
    "start_url": "/today",
    "scope": "/",
    "display": "standalone",
    "orientation": "any",
    "theme_color": THEME,
    "background_color": "#ffffff",
    "icons": list(ICONS),
}


def worker_version() -> str:
    """The app's version and a digest of every static file: any change is a new worker."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(STATIC.iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{__version__}-{digest.hexdigest()[:12]}"


def add_routes(app: FastAPI, web: Web) -> None:
    manifest = json.dumps(MANIFEST, indent=1).encode()
    version = worker_version()
    worker = WORKER.read_text().replace(VERSION_MARK, version).encode()

    @app.get("/manifest.webmanifest", include_in_schema=False)
    def web_manifest() -> Response:
        """What a phone needs to put the app on its home screen."""
        return Response(
            manifest,
            media_type="application/manifest+json",
            headers={"Cache-Control": "no-cache"},
        )

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> Response:
        """The service worker, from the root so its scope is the whole site; never taken
        from a cache without asking, so a newer deployment is found at once."""
        return Response(
            worker,
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
        )
