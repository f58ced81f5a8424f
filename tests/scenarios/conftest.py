"""The faces' fixtures the scenarios play through."""

from tests.cli.conftest import kc  # noqa: F401
