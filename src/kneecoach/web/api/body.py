"""What every request body of the API obeys, as strictly as a session file on the command
line: numbers are numbers (not "2", not true), finite (no NaN or Infinity), and a field the
operation does not know is refused, never silently ignored."""

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    """A request body: strict types, finite numbers, no unknown fields. A date or a named
    choice (knee, side, equipment) is text in JSON, so those fields say ``strict=False``."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)
