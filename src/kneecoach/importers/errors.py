from kneecoach.domain.errors import InvalidInput


class ImportFailure(InvalidInput):
    """A file that cannot be read as an activity: the message says why."""
