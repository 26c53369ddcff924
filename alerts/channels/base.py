"""The ``Channel`` interface (as httpx transports: one method to send, and ``close``)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from duluan.errors import ChannelError

from ..message import AlertMessage


class Channel(ABC):
    id: str

    @abstractmethod
    def send(self, message: AlertMessage) -> None:
        """Deliver one alert or raise ``ChannelError``."""

    def close(self) -> None:  # noqa: B027
        pass
