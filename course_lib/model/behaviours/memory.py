"""Memory *within* one conversation: recall facts the user stated in earlier messages.

A model has no memory between requests: it "remembers" only because your code sends the
history again. The stand-in is a pure function of the request, so it shows exactly that:

    ["My name is Ada.", ..., "What is my name?"]  -> "Your name is Ada."
    ["What is my name?"] (history dropped)        -> "I don't know your name — you haven't
                                                      told me in this conversation."

Facts: "my name is X" / "I'm X" / "call me X", "I am N (years old)", "I live in X" /
"I'm from X", and any "my <thing> is/are Y" ("my favourite colour is green"). A later
statement replaces an earlier one. System messages may state "the user's <thing> is Y".
"""

from __future__ import annotations

import re
from operator import itemgetter

from course_lib.model.behaviours.base import Reply, last_user_text
from course_lib.model.behaviours.structured import NAME
from course_lib.model.types import GenerationRequest

THING = r"((?:favou?rite )?[a-z']+(?: [a-z]+)?)"  # "name", "favourite colour", "dog's name"
# (pattern, slot or None for the captured <thing>, how to say the fact back)
STATEMENTS = [
    (rf"(?i)\b(?:my|the user's) {THING} (is|are) ([^.!?\n,;]+)", None, "Your {0} {1} {2}."),
    (rf"(?i:\bmy name is|\bcall me|\bi am|\bi'm)\s+({NAME})", "name", "Your name is {0}."),
    (r"(?i:\bi am|\bi'm)\s+(\d{1,3})\b(?!\s*(?:%|(?i:minutes?|hours?|days?|weeks?|km|kg|of)\b))",
     "age", "You are {0} years old."),
    (rf"(?i:\bi live in)\s+({NAME})", "home", "You live in {0}."),
    (rf"(?i:\bi'm from|\bi am from|\bi come from)\s+({NAME})", "home", "You are from {0}."),
]
QUESTIONS = [
    (r"(?i)\bwho am i\b", "name"),
    (r"(?i)\bhow old am i\b", "age"),
    (r"(?i)\bwhere (?:do i live|am i from|do i come from)\b", "home"),
    (rf"(?i)\b(?:what(?:'s| is| was| are| were)|do you (?:know|remember)|remind me of|tell me) "
     rf"my {THING}", None),
]
# Every QUESTIONS pattern needs one of these in the text (compared in lower case), so a long
# message holding none of them (a document and a question about it) skips the regexes.
QUESTION_WORDS = (
    "who am i", "how old am i", "where do i live", "where am i from", "where do i come from",
    "what's my ", "what is my ", "what was my ", "what are my ", "what were my ",
    "do you know my ", "do you remember my ", "remind me of my ", "tell me my ",
)
FILLERS = {"again", "now", "please", "then", "here", "today", "and", "or", "exactly"}
UNKNOWN = {"age": "how old you are", "home": "where you live"}


def normalise(thing: str) -> str:
    thing = re.sub(r"\bfavorite\b", "favourite", thing.lower().strip())
    return re.sub(r"\bcolor\b", "colour", thing)


def facts(request: GenerationRequest) -> dict[str, str]:
    """slot -> the sentence that says the fact back, from the user and system messages."""
    known: dict[str, str] = {}
    for message in request.messages:
        if message.role not in ("user", "system"):
            continue
        for pattern, slot, template in STATEMENTS:
            for match in re.finditer(pattern, message.content):
                key = slot or normalise(match.group(1))
                known[key] = template.format(*match.groups())
    return known


def may_ask(text: str) -> bool:
    """False only when no QUESTIONS pattern can match ``text`` (a cheap test: ~2 ms for
    200,000 characters, against ~30 ms for the patterns themselves).

    The patterns are case-insensitive, and a regex's IGNORECASE also matches "İ" and "ı" to
    "i" and "ſ" to "s"; lower() turns "İ" into "i" + a combining dot, so that dot is dropped.
    """
    folded = text.lower()
    if not folded.isascii():
        folded = folded.replace("\u0307", "").replace("ı", "i").replace("ſ", "s")
    return any(words in folded for words in QUESTION_WORDS)


def recall(request: GenerationRequest) -> Reply | None:
    question = last_user_text(request)
    patterns = QUESTIONS if may_ask(question) else []
    asked = sorted(((m.start(), slot, m) for pattern, slot in patterns
                    for m in re.finditer(pattern, question)), key=itemgetter(0))
    if asked:  # "What's my name, my age and ...": the list goes on after the first question
        more = re.finditer(rf"(?i)(?:,|\band)\s+my {THING}(?!\s+(?:is|are)\b)", question)
        asked = sorted(asked + [(m.start(), None, m) for m in more if m.start() > asked[0][0]],
                       key=itemgetter(0))
        known, answers = facts(request), []
        for _, slot, match in asked:  # one sentence per question, in the order asked
            if slot is None:  # "my name again?" -> "name"; "my dog's name" -> "dog's name"
                thing = normalise(match.group(1)).split()
                slot = thing[0] if thing[-1] in FILLERS else " ".join(thing)
            what = UNKNOWN.get(slot, f"your {slot}")
            unknown = f"I don't know {what} — you haven't told me in this conversation."
            answer = known.get(slot, unknown)
            if answer not in answers:
                answers.append(answer)
        return Reply(" ".join(answers), behaviour="memory")
    named = re.fullmatch(rf"\s*(?i:my name is|i am|i'm|call me)\s+({NAME})[.!]?\s*", question)
    if named:  # a bare introduction gets a greeting that shows the name was read
        return Reply(f"Nice to meet you, {named.group(1)}!", behaviour="memory")
    return None
