"""kneecoach: a coach for runners with runner's knee (patellofemoral pain)."""

__version__ = "0.1.0"

DISCLAIMER = (
    "kneecoach coaches; it does not diagnose. If something feels wrong, or a red flag "
    "appears, see a clinician."
)
