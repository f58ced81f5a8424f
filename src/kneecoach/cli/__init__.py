"""The command line: a thin adapter over the services (heavy imports stay inside commands)."""
