"""Webhook alerts: JSON POST, signed with HMAC-SHA256 when a secret is configured."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from ..message import AlertMessage
from .base import Channel, ChannelError


class WebhookChannel(Channel):
    def __init__(self, channel_id: str, url: str, secret: str | None = None, timeout: float = 10.0):
        self.id, self.url, self.secret = channel_id, url, secret
        self.client = httpx.Client(timeout=timeout, follow_redirects=False)

    def send(self, message: AlertMessage) -> None:
        body = json.dumps({"subject": message.subject, "text": message.text, **message.payload},
                          ensure_ascii=False, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "duluan-alerts"}
        if self.secret:
            headers["X-Duluan-Signature"] = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        try:
            r = self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as e:
            raise ChannelError(f"webhook {self.url} unreachable: {e}") from e
        if r.status_code >= 300:
            raise ChannelError(f"webhook {self.url} answered HTTP {r.status_code}")

    def close(self) -> None:
        self.client.close()
