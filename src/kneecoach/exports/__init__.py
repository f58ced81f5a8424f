"""Exports: the runner's plan and record in formats other tools read."""
