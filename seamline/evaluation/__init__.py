"""Evaluations on the shared data: critic with planted claims, end to end."""
