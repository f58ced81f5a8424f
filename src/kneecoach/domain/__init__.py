"""The clinical and training rules of kneecoach, as pure Python.

Nothing here reads files, the clock or a database: callers pass in what a rule needs.
"""
