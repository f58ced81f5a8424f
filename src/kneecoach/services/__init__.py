"""Use cases: each combines domain rules with the repository and clock ports."""
