"""The web app analysts and agencies work in (FastAPI, Jinja2, server-rendered, a little JavaScript).

``app.create_app`` builds it; ``duluan serve`` runs it. Pages and the JSON API under
``/api`` share one rule set: a session for everything but ``/login``, ``/public/…`` and
``/static/…``; role and agency checked by ``cases.policy``; CSRF on every state change.
"""
