"""Reporters: each renders the same findings in one form (console summary, JSON Lines, …)."""
