"""What every behaviour shares: its reply, and where it finds the user's words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course_lib.model.types import GenerationRequest, ToolCall


@dataclass
class Reply:
    """A scripted answer: text, or tool calls, and the behaviour's name (for debugging)."""

    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    behaviour: str = ""


def last_user_text(request: GenerationRequest) -> str:
    """The text of the last user message ("" when there is none)."""
    for message in reversed(request.messages):
        if message.role == "user":
            return message.content
    return ""


def user_texts(request: GenerationRequest) -> list[str]:
    """Every user message, most recent first (so the latest statement of a fact wins)."""
    return [m.content for m in reversed(request.messages) if m.role == "user"]


STOPWORDS = frozenset({
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "could", "did", "do",
    "does", "for", "from", "has", "have", "how", "i", "if", "in", "is", "it", "its", "me",
    "my", "of", "on", "or", "please", "tell", "that", "the", "their", "there", "these", "this",
    "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "would",
    "you", "your",
})


def words(text: str) -> list[str]:
    """Lower-case content words, crudely stemmed: "Lists of numbers" -> ["list", "number"]."""
    found = re.findall(r"[a-z0-9]+", text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in found if w not in STOPWORDS]
