"""What the bot says, as plain values: a message with optional buttons and image.

The core builds these where an answer is more than one sentence; each rasa_sdk
adapter hands them to its dispatcher as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    image: str | None = None

    def as_utterance(self) -> dict[str, Any]:
        """The keyword arguments of rasa_sdk's dispatcher.utter_message."""
        utterance: dict[str, Any] = {"text": self.text}
        if self.buttons:
            utterance["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        if self.image:
            utterance["image"] = self.image
        return utterance
