"""The one error the domain raises for input a person gave that cannot be right."""


class InvalidInput(ValueError):
    """Bad input from a person: the message names the value and what is wrong with it."""
