"""Adapters to services outside the machine (the mail server), behind the services' ports."""
