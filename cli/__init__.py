"""The ``duluan`` command, composed from the commands each area exports; no logic of its own."""

from .app import app, main

__all__ = ["app", "main"]
