"""Checks for lessons 7.7 (the API problem), 7.8 (setup), 7.9 (chat completions) and 7.10
(the messages array).

Every check prints one line (✅ or ❌ with a hint), returns True/False and never raises on a
wrong answer. Checks test properties (a response has assistant text, a trimmed history fits
its budget...), so any correct answer, from any provider, passes.
"""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any

from course_lib._fields import field
from course_lib.exercises._report import NOT_ANSWERED, call, check_quiz, never_raises, report

__all__ = [
    "API_QUIZ",
    "check_api_quiz",
    "check_describe_key",
    "check_first_call",
    "check_messages_array",
    "check_prompt_tokens",
    "check_read_completion",
    "check_trim_history",
]

# ---------------------------------------------------------------------------------------
# Lesson 7.7 — The API problem (quiz)


def _quiz() -> Any:
    from course_lib.quiz import Question, Quiz

    return Quiz(
        [
            Question(
                "When your code calls client.chat.completions.create(...), where does the model run?",
                ["inside your Python process", "on the provider's servers, reached over HTTPS",
                 "in your browser"],
                answer=1,
                explanation="the SDK sends an HTTP request; the model runs on the provider's GPUs.",
            ),
            Question(
                "What does the request carry?",
                ["a JSON body (model, messages, ...) and your key in the Authorization header",
                 "your Python code, to be run remotely", "only the text you typed"],
                answer=0,
                explanation="JSON in, JSON out; the key says who is asking (and who pays).",
            ),
            Question(
                "Which of these must never appear in a notebook's code or output?",
                ["the model name", "the base URL", "the API key"],
                answer=2,
                explanation="anyone holding the key can spend your money; keep it in .env.",
            ),
        ],
        title="Lesson 7.7 quiz",
    )


API_QUIZ = _quiz()


@never_raises
def check_api_quiz(answers: Any) -> bool:
    """Grade the 7.7 quiz: one option letter ("b") or index (1) per question."""
    return check_quiz(API_QUIZ, answers)


# ---------------------------------------------------------------------------------------
# Lesson 7.8 — Setup


def _reply_text(response: Any) -> str | None:
    """Assistant text of an OpenAI ChatCompletion or an Anthropic Message (object or dict)."""
    choices = field(response, "choices")
    if choices:
        return field(field(choices[0], "message"), "content")
    content = field(response, "content")
    if isinstance(content, list):
        return "".join(field(b, "text") or "" for b in content if field(b, "type") == "text")
    return None


@never_raises
def check_first_call(response: Any) -> bool:
    """Is ``response`` a chat response (OpenAI or Anthropic) with some assistant text?"""
    if response is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(response, str):
        return report(False, "", "That is a string. Store the whole object that create() returns "
                      "(response = client.chat.completions.create(...)), not its text.")
    text = _reply_text(response)
    if text is None:
        return report(False, "", f"A {type(response).__name__} is not a chat response: call "
                      "client.chat.completions.create(model=..., messages=[...]).")
    if not text.strip():
        return report(False, "", "The reply has no text: ask a question the model can answer "
                      "in words (and don't set max_completion_tokens too low).")
    words = len(text.split())
    return report(True, f"Your first call worked: {words} words came back.", "")


def _hidden_keys() -> list[tuple[str, str]]:
    """(public prefix, key) pairs, built here so no file holds a key-shaped string.

    The prefix is everything a description may show: the kind of key and its version
    (``sk-ant-api03-``), which every key of that kind shares.
    """
    body = "Zq8" + "xT4mLw9RbN2vKe7HjP5cYa3GdF6sU1oI0nM" * 4
    return [("sk-proj-", "sk-" + "proj-" + body), ("sk-", "sk-" + body[:48]),
            ("sk-ant-api03-", "sk-" + "ant-api03-" + body[:90]), ("", body[:40])]


@never_raises
def check_describe_key(describe: Any) -> bool:
    """Does ``describe(key) -> str`` tell the key's length without revealing its secret part?

    Allowed to show: the public prefix (sk-, sk-proj-, sk-ant-api03-...) and the length.
    Rejected: any run of 5 or more characters from the rest of the key (even at its end).
    """
    if describe is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(describe):
        return report(False, "", "Pass a function: describe(key) -> str.")
    for prefix, key in _hidden_keys():
        text, problem = call(describe, key)
        if problem:
            return report(False, "", f"On a hidden key, {problem}")
        if not isinstance(text, str):
            return report(False, "", f"Return a string, not {type(text).__name__}.")
        secret = key[len(prefix):]
        leaks = [secret[i:i + 5] for i in range(len(secret) - 4) if secret[i:i + 5] in text]
        if leaks:
            where = "end" if secret.endswith(leaks[-1]) else "middle"
            return report(False, "", f"Your text shows {len(leaks) + 4}+ characters of the secret "
                          f"part (from its {where}). Show only the prefix (e.g. 'sk-proj-') and the "
                          "length: even the last few characters help an attacker confirm a guess.")
        if str(len(key)) not in re.findall(r"\d+", text):
            return report(False, "", f"Include the length ({len(key)} for one hidden key) so a "
                          "truncated copy can be spotted: str(len(key)).")
    return report(True, "Your description tells the length and never the secret.", "")


# ---------------------------------------------------------------------------------------
# Lesson 7.9 — Chat completions under the hood


@never_raises
def check_prompt_tokens(predicted: Any, messages: list[dict], *, actual: int | None = None) -> bool:
    """Is ``predicted`` the ``usage.prompt_tokens`` of sending ``messages`` (cookbook rule)?

    ``actual`` (the usage a real provider reported) is accepted too: newer models may frame
    messages a little differently from the cookbook's count.
    """
    from course_lib.tokens import REPLY_PRIMING, TOKENS_PER_MESSAGE, count, count_chat_tokens

    if predicted is None:
        return report(False, "", NOT_ANSWERED)
    if isinstance(predicted, bool) or not isinstance(predicted, int):
        return report(False, "", f"Give a whole number of tokens, not {type(predicted).__name__}.")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return report(False, "", "Pass the list of messages you counted (dicts with 'role' and "
                      "'content') as the second argument.")
    expected = count_chat_tokens(messages)
    if predicted in (expected, actual):
        return report(True, f"{predicted} prompt tokens: content + role tokens + "
                      f"{TOKENS_PER_MESSAGE} per message + {REPLY_PRIMING} to prime the reply.", "")
    roles = sum(count(m["role"]) for m in messages)
    framing = TOKENS_PER_MESSAGE * len(messages)
    hints = {
        expected - REPLY_PRIMING: f"Add the {REPLY_PRIMING} tokens that prime the reply.",
        expected - framing: f"Add {TOKENS_PER_MESSAGE} framing tokens per message.",
        expected - framing - REPLY_PRIMING: f"You counted the text only: add {TOKENS_PER_MESSAGE} "
        f"per message and {REPLY_PRIMING} for the reply.",
        expected - roles: "The role names are tokens too (\"user\" is one token).",
        expected - roles - framing - REPLY_PRIMING: "You counted only the contents: add the role "
        f"tokens, {TOKENS_PER_MESSAGE} per message and {REPLY_PRIMING} for the reply.",
    }
    hint = hints.get(predicted, "Count with the tokenizer: content + role tokens, plus "
                     f"{TOKENS_PER_MESSAGE} per message, plus {REPLY_PRIMING}.")
    return report(False, "", f"{predicted} is off by {predicted - expected:+d}. {hint}")


def _completion(content: str | None, *, index: int = 0, finish: str = "stop", **message: Any) -> dict:
    return {"index": index, "message": {"role": "assistant", "content": content, "refusal": None,
                                        **message}, "logprobs": None, "finish_reason": finish}


def _body(choices: list[dict], prompt: int, completion: int, **extra: Any) -> dict:
    return {"id": "chatcmpl-hidden", "object": "chat.completion", "created": 0, "model": "hidden",
            "choices": choices, "usage": {
                "prompt_tokens": prompt, "completion_tokens": completion,
                "total_tokens": prompt + completion,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}},
            "service_tier": "default", "system_fingerprint": "fp_hidden", **extra}


def _read_cases() -> list[tuple[str, dict, tuple[str | None, int, int]]]:
    tool_call = {"id": "call_1", "type": "function",
                 "function": {"name": "calculator", "arguments": '{"expression": "2+2"}'}}
    return [
        ("a plain reply", _body([_completion("Hello there!")], 12, 4), ("Hello there!", 12, 4)),
        ("a reply cut short (finish_reason length)",
         _body([_completion("The answer is", finish="length")], 30, 3), ("The answer is", 30, 3)),
        ("a reply with two choices (n=2)",
         _body([_completion("first", index=0), _completion("second", index=1)], 9, 2),
         ("first", 9, 2)),
        ("a reply that only calls a tool (content is null)",
         _body([_completion(None, finish="tool_calls", tool_calls=[tool_call])], 80, 17), (None, 80, 17)),
        ("non-ASCII text", _body([_completion("naïve café 🙂")], 11, 7), ("naïve café 🙂", 11, 7)),
    ]


@never_raises
def check_read_completion(read: Any) -> bool:
    """Does ``read(body) -> (text, prompt_tokens, completion_tokens)`` read raw JSON bodies?

    ``text`` is the first choice's content; for a reply with no text (a tool call) both None
    and "" are accepted.
    """
    if read is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(read):
        return report(False, "", "Pass a function: read(body) -> (text, prompt_tokens, completion_tokens).")
    cases = _read_cases()
    for what, body, (text, prompt, completion) in cases:
        got, problem = call(read, copy.deepcopy(body))
        if problem:
            hint = (" Some replies have content null (tool calls): don't call string methods on it."
                    if text is None else "")
            return report(False, "", f"On {what}, {problem}.{hint}")
        if not (isinstance(got, tuple | list) and len(got) == 3):
            return report(False, "", f"Return a tuple (text, prompt_tokens, completion_tokens), got {got!r}.")
        if got[0] != text and not (text is None and got[0] == ""):
            return report(False, "", f"On {what}: text {got[0]!r}, expected {text!r}. The text is "
                          "body['choices'][0]['message']['content'].")
        if tuple(got[1:]) != (prompt, completion):
            return report(False, "", f"On {what}: tokens {tuple(got[1:])}, expected {(prompt, completion)}. "
                          "usage sits at the top level of the body, beside choices.")
    return report(True, f"Your reader handles all {len(cases)} hidden bodies.", "")


# ---------------------------------------------------------------------------------------
# Lesson 7.10 — The messages array


@never_raises
def check_messages_array(messages: Any) -> bool:
    """A conversation to send: system first, then user/assistant turns, ending with a user turn
    whose question needs something said in an earlier user turn."""
    if messages is None:
        return report(False, "", NOT_ANSWERED)
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return report(False, "", "messages is a list of dicts like {'role': 'user', 'content': '...'}.")
    for m in messages:
        if set(m) - {"role", "content", "name"} or "role" not in m or "content" not in m:
            return report(False, "", f"Each message needs 'role' and 'content' (and nothing else); got keys {sorted(m)}.")
        if not isinstance(m["content"], str) or not m["content"].strip():
            return report(False, "", "Every message needs some text in 'content'.")
    roles = [m["role"] for m in messages]
    if len(roles) < 4:
        return report(False, "", "Four messages at least: system, user, assistant, user.")
    if roles[0] != "system" or "system" in roles[1:]:
        return report(False, "", "Start with one 'system' message (instructions), and only one.")
    turns = roles[1:]
    if any(r not in ("user", "assistant") for r in turns):
        return report(False, "", f"After the system message, use roles 'user' and 'assistant' only; got {turns}.")
    if turns[0] != "user" or any(a == b for a, b in itertools.pairwise(turns)):
        return report(False, "", f"Turns alternate user, assistant, user, ...; got {turns}.")
    if turns[-1] != "user":
        return report(False, "", "End with a 'user' message: the model answers the last user turn.")
    if "?" not in messages[-1]["content"]:
        return report(False, "", "The last user message should ask a question (with a '?').")
    return report(True, f"{len(messages)} messages: system, then {len(turns)} alternating turns "
                  "ending with the user's question. This is the whole memory the model gets.", "")


def _conversation(turns: int, system: bool = True, seed: int = 0) -> list[dict]:
    topics = ["tokens", "caching", "streaming", "retries", "tools", "prices", "limits", "seeds"]
    messages = [{"role": "system", "content": "You are a concise tutor for an API course."}] if system else []
    for t in range(turns):
        topic = topics[(t + seed) % len(topics)]
        messages.append({"role": "user", "content": f"Question {t + 1}: explain {topic} "
                         + "in detail, please. " * ((t + seed) % 3)})
        messages.append({"role": "assistant", "content": f"Answer {t + 1}: {topic} matter because "
                         + "each one is counted and billed. " * (1 + (t * 7 + seed) % 4)})
    return messages


def _trim_cases() -> list[tuple[str, list[dict], int]]:
    from course_lib.tokens import count_chat_tokens

    long = _conversation(10)
    no_system = _conversation(6, system=False, seed=3)
    odd = _conversation(5, seed=1)[:-1]  # ends with a user turn, as just before a call
    return [
        ("a 10-turn chat with half the budget", long, count_chat_tokens(long) // 2),
        ("a budget the whole chat fits in", long, count_chat_tokens(long) + 50),
        ("a chat with no system message", no_system, count_chat_tokens(no_system) // 3),
        ("a chat ending with the user's new question", odd, count_chat_tokens(odd) * 2 // 5),
        ("a budget for the system message and the last message only", long,
         count_chat_tokens([long[0], long[-1]]) + 1),
        ("a budget smaller than the system message and the last message", long,
         count_chat_tokens([long[0]]) + 2),
    ]


def _allowed(messages: list[dict], budget: int) -> list[list[dict]]:
    """Correct answers: the longest suffix that fits, or that suffix cut to start at a user turn."""
    from course_lib.tokens import count_chat_tokens

    system = [m for m in messages if m["role"] == "system"]
    rest = [m for m in messages if m["role"] != "system"]
    k = 0
    while k < len(rest) and count_chat_tokens(system + rest[len(rest) - k - 1:]) <= budget:
        k += 1
    kept = rest[len(rest) - k:] if k else []
    answers = [system + kept]
    while kept and kept[0]["role"] != "user":
        kept = kept[1:]
    return [*answers, system + kept]


@never_raises
def check_trim_history(trim: Any) -> bool:
    """Does ``trim(messages, max_tokens)`` keep the system message and the newest turns that fit?

    Checked on hidden chats with ``count_chat_tokens``: the result must fit, keep the system
    message first, keep a contiguous run of the newest messages in order (dropping whole
    messages only), keep as many as fit, and leave the input list unchanged. Starting the kept
    run at a user message (dropping one more assistant reply) is accepted too.
    """
    from course_lib.tokens import count_chat_tokens

    if trim is None:
        return report(False, "", NOT_ANSWERED)
    if not callable(trim):
        return report(False, "", "Pass a function: trim_history(messages, max_tokens) -> list.")
    cases = _trim_cases()
    for what, messages, budget in cases:
        given = copy.deepcopy(messages)
        got, problem = call(trim, given, budget)
        if problem:
            return report(False, "", f"On {what}, {problem}")
        if given != messages:
            return report(False, "", f"On {what}: your function changed the list it was given. "
                          "Build a new list (e.g. with slicing) instead of deleting from `messages`.")
        if not isinstance(got, list):
            return report(False, "", f"Return a list of messages, not {type(got).__name__}.")
        allowed = _allowed(messages, budget)
        if got in allowed:
            continue
        system = [m for m in messages if m["role"] == "system"]
        if system and (not got or got[0] != system[0]):
            hint = "The system message must stay, at the front: it holds the instructions."
        elif got and count_chat_tokens(got) > budget:
            hint = (f"It does not fit: {count_chat_tokens(got)} tokens > {budget}. Measure with "
                    "count_chat_tokens(kept), framing included.")
        elif any(m not in messages for m in got):
            hint = "Keep messages whole: drop complete messages, never edit their text."
        elif len(got) < len(allowed[0]):
            hint = ("You dropped more than needed: keep adding messages, newest first, while "
                    "count_chat_tokens(...) <= max_tokens.")
        else:
            hint = "Keep the NEWEST messages, in their original order (drop from the oldest end)."
        return report(False, "", f"On {what}: {hint}")
    return report(True, f"trim_history is right on all {len(cases)} hidden chats.", "")
