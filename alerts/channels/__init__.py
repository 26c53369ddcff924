"""Delivery channels behind one interface: SMTP email and HTTP webhooks."""

from .base import Channel, ChannelError
from .smtp import SmtpChannel
from .webhook import WebhookChannel

__all__ = ["Channel", "ChannelError", "SmtpChannel", "WebhookChannel", "build_channel"]


def build_channel(spec, settings) -> Channel:
    """A channel from its config entry (``config.models.Channel``) and the installation settings."""
    if spec.type == "email":
        return SmtpChannel(spec.id, spec.to, settings.smtp.effective())
    return WebhookChannel(spec.id, spec.url, spec.secret)
