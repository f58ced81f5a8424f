"""Settings, read from the environment by a function (never at import time).

Every setting is listed in ``SETTINGS`` with its variable, default and meaning; the README
table is checked against this list by a test, so none goes undocumented.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kneecoach.domain.digits import ascii_digits
from kneecoach.domain.errors import InvalidInput

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class SettingDoc:
    variable: str
    default: str
    meaning: str


SETTINGS: tuple[SettingDoc, ...] = (
    SettingDoc(
        "KNEECOACH_DATA_DIR",
        "the user data directory (e.g. ~/.local/share/kneecoach)",
        "Where kneecoach keeps its SQLite database.",
    ),
    SettingDoc(
        "KNEECOACH_DATABASE_URL",
        "sqlite:///$KNEECOACH_DATA_DIR/kneecoach.db",
        "The database: a SQLite file, or PostgreSQL as postgresql://user:pass@host/db.",
    ),
    SettingDoc(
        "KNEECOACH_USER",
        "local",
        "The account the command line acts as (the database serves many users).",
    ),
    SettingDoc(
        "KNEECOACH_AKPS_EVERY_DAYS",
        "7",
        "How often the Kujala AKPS questionnaire falls due, in days.",
    ),
    SettingDoc("KNEECOACH_UNITS", "km", "Distances shown in km or mi (miles)."),
    SettingDoc(
        "KNEECOACH_LOAD_UNIT",
        "distance",
        "Running load counted as distance (km), duration (minutes) or session-rpe.",
    ),
    SettingDoc(
        "KNEECOACH_SESSION_TIME",
        "18:00",
        "When sessions are put in the exported calendar (HH:MM, local time).",
    ),
    SettingDoc(
        "KNEECOACH_REMINDER_MINUTES",
        "30",
        "How long before a calendar session its reminder goes off (0 for none).",
    ),
    SettingDoc(
        "KNEECOACH_TIMEZONE",
        "$TZ, else UTC",
        "The time zone of calendar sessions (an IANA name such as Europe/London).",
    ),
    SettingDoc(
        "KNEECOACH_DEBUG",
        "off",
        "Set to 1 (or true, yes, on) to show full tracebacks of unexpected errors (for bug "
        "reports); 0, false, no or off keep them hidden.",
    ),
    SettingDoc(
        "KNEECOACH_PUBLIC_URL",
        "http://127.0.0.1:8000",
        "The address people reach the web app at (scheme, host and port, e.g. "
        "https://knee.example.org). Every link the app writes (invitations, calendar feeds, "
        "emails) starts with it, never with the address a request claims to come to.",
    ),
    SettingDoc(
        "KNEECOACH_SMTP_HOST",
        "unset: no email is sent",
        "The mail server kneecoach sends notices through (a name or address). Unset, email "
        "is off: nothing is queued and no page offers a notice by email.",
    ),
    SettingDoc("KNEECOACH_SMTP_PORT", "587", "The mail server's port."),
    SettingDoc(
        "KNEECOACH_SMTP_SECURITY",
        "starttls",
        "How the connection to the mail server is protected: starttls, tls (from the first "
        "byte, usually port 465) or none (only for a server on the same machine).",
    ),
    SettingDoc("KNEECOACH_SMTP_USER", "unset", "The name to log in to the mail server with."),
    SettingDoc(
        "KNEECOACH_SMTP_PASSWORD", "unset", "The password to log in to the mail server with."
    ),
    SettingDoc(
        "KNEECOACH_MAIL_FROM",
        "kneecoach@localhost",
        "The sender address of kneecoach's emails.",
    ),
    SettingDoc(
        "KNEECOACH_UPLOAD_LIMIT",
        "2GB",
        "The largest upload the web app takes (all files of one import together), in bytes "
        "or with a unit: 500MB, 2GB. A larger one is refused (413) and nothing of it kept.",
    ),
    SettingDoc(
        "KNEECOACH_IMPORT_FILE_LIMIT",
        "100MB",
        "The most one activity file may hold once unpacked (a member of an export zip, a "
        "gzipped GPX, TCX or FIT, or a plain one), in bytes or with a unit: 100MB. A larger "
        "file is refused by name with this reason and the rest of the import goes on "
        "(kneecoach default: a day of 1 Hz records is about 25 MB as GPX).",
    ),
    SettingDoc(
        "KNEECOACH_TODAY",
        "unset: the system clock",
        "Treat this day (YYYY-MM-DD) as today everywhere, in the terminal and the web app "
        "alike: for demonstrations, training and tests.",
    ),
    SettingDoc(
        "KNEECOACH_STRAVA_URL",
        "https://www.strava.com/api/v3",
        "Strava's API address; its OAuth pages are at /oauth/ on the same host. Point it at "
        "`kneecoach strava fake` to try the Strava connection without an account.",
    ),
    SettingDoc(
        "KNEECOACH_STRAVA_CLIENT_ID",
        "unset: Strava is off",
        "The Client ID of the deployment's Strava API application (a number).",
    ),
    SettingDoc(
        "KNEECOACH_STRAVA_CLIENT_SECRET",
        "unset: Strava is off",
        "The Client Secret of the deployment's Strava API application.",
    ),
    SettingDoc(
        "KNEECOACH_STRAVA_WEBHOOK_TOKEN",
        "unset: no webhook (the hourly poll brings new runs)",
        "The verify token of the deployment's Strava push subscription, also the secret "
        "part of its callback address (`KNEECOACH_PUBLIC_URL/strava/webhook/TOKEN`): new, "
        "edited and deleted activities and revocations arrive within seconds. 16 to 100 "
        "letters, digits, - or _.",
    ),
    SettingDoc(
        "KNEECOACH_SECRET_KEY",
        "unset: no Strava tokens are kept",
        "The key that encrypts Strava's tokens at rest: 32 random bytes, urlsafe base64 "
        "(make one with `python -c 'import base64,os; print(base64.urlsafe_b64encode("
        "os.urandom(32)).decode())'`). Losing it means connecting Strava again. It also "
        "signs the state of the web app's Connect Strava.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    user: str
    debug: bool = False
    akps_every_days: int = 7
    units: str = "km"
    load_unit: str = "distance"
    session_time: dt.time = dt.time(18, 0)
    reminder_minutes: int = 30
    timezone: str = "UTC"
    today: dt.date | None = None
    """A fixed 'today' (KNEECOACH_TODAY), or None for the system clock."""
    public_url: str = "http://127.0.0.1:8000"
    """Where people reach the web app, without a trailing slash (KNEECOACH_PUBLIC_URL)."""
    public_url_given: bool = False
    """Whether KNEECOACH_PUBLIC_URL was set; if not, ``kneecoach serve`` puts its own port
    in ``public_url`` (:func:`served_at`)."""
    mail: MailSettings | None = None
    """How to send email, or None when KNEECOACH_SMTP_HOST is unset (email is off)."""
    upload_limit: int = 2 * 1024**3
    """The largest upload the web app takes, in bytes (KNEECOACH_UPLOAD_LIMIT)."""
    import_file_limit: int = 100 * 1024**2
    """The most one imported activity file may hold unpacked, in bytes
    (KNEECOACH_IMPORT_FILE_LIMIT; importers.detect.MAX_FILE_BYTES by default)."""
    strava: StravaSettings | None = None
    """The Strava API application, or None when its client id or secret is unset."""
    strava_url: str = "https://www.strava.com/api/v3"
    """Strava's API address (KNEECOACH_STRAVA_URL), without a trailing slash."""
    secret_key: bytes | None = None
    """The key Strava's tokens are encrypted with at rest (KNEECOACH_SECRET_KEY, 32 bytes)."""
    strava_webhook_token: str | None = None
    """The verify token of Strava's push subscription (KNEECOACH_STRAVA_WEBHOOK_TOKEN), also
    the secret in its callback address; None: no webhook."""

    @property
    def jobs_dir(self) -> Path:
        """Where uploads wait for the worker that imports them: one folder per job."""
        return self.data_dir / "jobs"


@dataclass(frozen=True, slots=True)
class MailSettings:
    host: str
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str = "kneecoach@localhost"


@dataclass(frozen=True, slots=True)
class StravaSettings:
    """The deployment's Strava API application (registered at strava.com/settings/api)."""

    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = "https://www.strava.com/api/v3"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("kneecoach", appauthor=False))


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env["KNEECOACH_DATA_DIR"]) if env.get("KNEECOACH_DATA_DIR") else None
    if data_dir is None:
        data_dir = default_data_dir()
    url = env.get("KNEECOACH_DATABASE_URL") or f"sqlite:///{data_dir / 'kneecoach.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        user=env.get("KNEECOACH_USER") or "local",
        debug=_switch(env, "KNEECOACH_DEBUG"),
        akps_every_days=_whole_number(env, "KNEECOACH_AKPS_EVERY_DAYS", 7, 1, 365),
        units=_choice(env, "KNEECOACH_UNITS", ("km", "mi")),
        load_unit=_choice(env, "KNEECOACH_LOAD_UNIT", ("distance", "duration", "session-rpe")),
        session_time=_time(env.get("KNEECOACH_SESSION_TIME") or "18:00"),
        reminder_minutes=_whole_number(env, "KNEECOACH_REMINDER_MINUTES", 30, 0, 1440),
        timezone=(env.get("KNEECOACH_TIMEZONE") or env.get("TZ") or "UTC").strip(),
        today=_day(env, "KNEECOACH_TODAY"),
        public_url=_public_url(env, "KNEECOACH_PUBLIC_URL"),
        public_url_given=bool((env.get("KNEECOACH_PUBLIC_URL") or "").strip()),
        mail=_mail(env),
        upload_limit=_size(env, "KNEECOACH_UPLOAD_LIMIT", 2 * 1024**3),
        import_file_limit=_size(env, "KNEECOACH_IMPORT_FILE_LIMIT", 100 * 1024**2),
        strava=_strava(env),
        strava_url=_strava_url(env),
        secret_key=_secret_key(env, "KNEECOACH_SECRET_KEY"),
        strava_webhook_token=_webhook_token(env, "KNEECOACH_STRAVA_WEBHOOK_TOKEN"),
    )


def _webhook_token(env: Mapping[str, str], name: str) -> str | None:
    text = (env.get(name) or "").strip()
    if not text:
        return None
    if not (
        16 <= len(text) <= 100
        and text.isascii()
        and text.replace("-", "").replace("_", "").isalnum()
    ):
        raise InvalidInput(f"{name} must be 16 to 100 letters, digits, - or _")
    return text


def _strava_url(env: Mapping[str, str]) -> str:
    text = (env.get("KNEECOACH_STRAVA_URL") or "https://www.strava.com/api/v3").strip()
    if not _is_site_address(text):
        raise InvalidInput(
            f"KNEECOACH_STRAVA_URL must be an address like https://www.strava.com/api/v3, "
            f"not '{text}'"
        )
    return text.rstrip("/")


def _strava(env: Mapping[str, str]) -> StravaSettings | None:
    """The Strava application, when both its id and its secret are set; one without the
    other is refused by name (a half-configured connection would fail later, obscurely)."""
    client_id = (env.get("KNEECOACH_STRAVA_CLIENT_ID") or "").strip()
    secret = (env.get("KNEECOACH_STRAVA_CLIENT_SECRET") or "").strip()
    if not client_id and not secret:
        return None
    if not client_id:
        raise InvalidInput(
            "KNEECOACH_STRAVA_CLIENT_ID must be set with KNEECOACH_STRAVA_CLIENT_SECRET"
        )
    if not secret:
        raise InvalidInput(
            "KNEECOACH_STRAVA_CLIENT_SECRET must be set with KNEECOACH_STRAVA_CLIENT_ID"
        )
    if not ascii_digits(client_id):
        raise InvalidInput(
            f"KNEECOACH_STRAVA_CLIENT_ID must be the application's number, not '{client_id}'"
        )
    if any(c.isspace() for c in secret) or not secret.isascii():
        raise InvalidInput("KNEECOACH_STRAVA_CLIENT_SECRET must be one word of letters and digits")
    return StravaSettings(client_id, secret, _strava_url(env))


def _secret_key(env: Mapping[str, str], name: str) -> bytes | None:
    """32 bytes, given as urlsafe base64 (as Fernet keys are written)."""
    import base64
    import binascii

    text = (env.get(name) or "").strip()
    if not text:
        return None
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise InvalidInput(f"{name} must be 32 random bytes in urlsafe base64 (44 characters)")
    return key


_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def _size(env: Mapping[str, str], name: str, default: int) -> int:
    """A size in bytes, or with a unit (KB, MB, GB, TB: powers of 1024): '2GB', '500 MB'."""
    text = (env.get(name) or "").strip()
    if not text:
        return default
    number = text.rstrip("bBkKmMgGtT ").strip()
    unit = text[len(number) :].strip().upper()
    if not ascii_digits(number) or unit not in _UNITS:
        raise InvalidInput(f"{name} must be a size like 2GB, 500MB or 1048576, not '{text}'")
    value = int(number) * _UNITS[unit]
    if value < 1024:
        raise InvalidInput(f"{name} must be at least 1KB, not '{text}'")
    return value


def _mail(env: Mapping[str, str]) -> MailSettings | None:
    host = (env.get("KNEECOACH_SMTP_HOST") or "").strip()
    if not host:
        return None
    sender = (env.get("KNEECOACH_MAIL_FROM") or "kneecoach@localhost").strip()
    if "@" not in sender or any(c.isspace() for c in sender):
        raise InvalidInput(f"KNEECOACH_MAIL_FROM must be an email address, not '{sender}'")
    return MailSettings(
        host=host,
        port=_whole_number(env, "KNEECOACH_SMTP_PORT", 587, 1, 65535),
        security=_choice(env, "KNEECOACH_SMTP_SECURITY", ("starttls", "tls", "none")),
        user=env.get("KNEECOACH_SMTP_USER") or None,
        password=env.get("KNEECOACH_SMTP_PASSWORD") or None,
        sender=sender,
    )


ANY_ADDRESS = ("0.0.0.0", "::", "")
"""Hosts a server listens on to be reached on every address: no link can name them."""


def served_at(settings: Settings, host: str, port: int) -> Settings:
    """The settings of a web app served on ``host``:``port``. Without KNEECOACH_PUBLIC_URL
    the links the app writes (invitations, calendar feeds, Strava's callback, emails) name
    the address it listens on, not port 8000 whatever ``--port`` said; a server listening
    on every address is named by 127.0.0.1, which only this machine reaches (the setting
    says where phones reach it)."""
    if settings.public_url_given:
        return settings
    named = "127.0.0.1" if host in ANY_ADDRESS else host
    if ":" in named:  # an IPv6 address is written in brackets in a URL
        named = f"[{named}]"
    return replace(settings, public_url=f"http://{named}:{port}")


def _public_url(env: Mapping[str, str], name: str) -> str:
    """An http(s) address with a host and nothing after the path, kept without its
    trailing slash so that links are joined one way."""
    text = (env.get(name) or "http://127.0.0.1:8000").strip()
    if not _is_site_address(text):
        raise InvalidInput(f"{name} must be an address like https://knee.example.org, not '{text}'")
    return text.rstrip("/")


def _is_site_address(text: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        has_port_or_none = parts.port is None or parts.port > 0  # a port not a number raises
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and has_port_or_none
        and not parts.query
        and not parts.fragment
    )


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"KNEECOACH_SESSION_TIME must be HH:MM, not '{text}'") from None


def zone(name: str) -> ZoneInfo:
    """The time zone named by KNEECOACH_TIMEZONE (checked when used: it costs start-up time)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"KNEECOACH_TIMEZONE '{name}' is not a known time zone") from None


_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


def _switch(env: Mapping[str, str], name: str) -> bool:
    """An on/off setting: 1, true, yes or on; 0, false, no, off or unset. Anything else is
    refused with the setting's name, so a typo never turns something on by surprise."""
    value = env.get(name, "").strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise InvalidInput(f"{name} must be 1, true, yes or on, or 0, false, no or off; not '{value}'")


def _day(env: Mapping[str, str], name: str) -> dt.date | None:
    text = (env.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2026-11-23, not '{text}'") from None


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}, not '{value}'")
    return value


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not '{text}'") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be from {low} to {high}, not {value}")
    return value
