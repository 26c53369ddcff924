"""Alembic migrations of the record: ``duluan db upgrade`` brings any database to head."""
