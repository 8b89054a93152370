"""Greetings and "who are you?": the stand-in says plainly what it is."""

from __future__ import annotations

import re

from course_lib.model.behaviours.base import Reply, last_user_text
from course_lib.model.types import GenerationRequest

GREETING = re.compile(r"(?i)\s*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings)"
                      r"\b[\s\w,!.]{0,20}$")
IDENTITY = re.compile(r"(?i)\b(?:who|what) are you\b|\bwhat model\b|\bare you (?:an? )?"
                      r"(?:ai|bot|robot|human|real|chatgpt|claude|gpt)\b|\bintroduce yourself\b")
SELF = ("I'm the course's offline stand-in model: a tiny n-gram model of the Python documentation "
        "plus a few scripted behaviours, running on your computer. Put an OPENAI_API_KEY or "
        "ANTHROPIC_API_KEY in .env to talk to a real model.")


def introduce(request: GenerationRequest) -> Reply | None:
    prompt = last_user_text(request)
    if GREETING.fullmatch(prompt):
        return Reply("Hello! " + SELF, behaviour="introduction")
    if IDENTITY.search(prompt):
        return Reply(SELF, behaviour="introduction")
    return None
