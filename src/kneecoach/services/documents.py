"""JSON documents from outside (a posted body, a session file, a backup): read with one
rule, so that whatever arrives — cut short, nested a thousand deep, a number of 5,000
digits — is refused as bad input naming the problem, never an internal error."""

from __future__ import annotations

import json

from kneecoach.domain.errors import InvalidInput


def parse_json(text: str | bytes, source: str) -> object:
    """The JSON document in ``text``; InvalidInput naming ``source`` and the problem."""
    try:
        document: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{source}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg} (is it cut short?)"
        ) from None
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply to be a kneecoach document") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{source} is not UTF-8 text") from None
    except ValueError:  # a number too long to read (Python's integer digit limit)
        raise InvalidInput(f"{source}: holds a number too long to be a figure") from None
    return document
