"""Alerts: rules that pick articles, and channels (email, webhook) that deliver them."""
