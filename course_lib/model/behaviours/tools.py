"""Tool use: call the calculator for arithmetic, call a tool the user's words name, and phrase
the final answer once tool results come back.

A real model decides from the tool *descriptions* whether a call helps; the stand-in uses
fixed rules instead (README: "Scripted behaviours"):

    "What is 1234 * 5678?" + a calculator tool   -> calculator({"expression": "1234 * 5678"})
    "Compute 2+2 and 3*7"                        -> two calls (one if parallel_tool_calls=False)
    "Weather in Paris?" + get_weather(city)      -> get_weather({"city": "Paris"})
    tool results [7006652]                       -> "1234 * 5678 = 7006652."

behaviours/tool_rounds.py covers what comes after the first round of results.
"""

from __future__ import annotations

import hashlib
import json
import re

from course_lib.model.behaviours.base import Reply, last_user_text, words
from course_lib.model.behaviours.structured import Filler
from course_lib.model.types import GenerationRequest, Message, Tool, ToolCall
from course_lib.tools.mathfunctions import FUNCTIONS

# Words people use for operators, rewritten the way a model would write the expression.
SPOKEN = [
    (r"\bmultiplied by\b|\btimes\b|×|(?<=\d)\s*[xX]\s*(?=\d)", " * "),
    (r"\bdivided by\b|÷", " / "), (r"\bplus\b", " + "), (r"\bminus\b|−", " - "),
    (r"\bto the power of\b|\^", " ** "), (r"\bsquared\b", " ** 2"), (r"\bcubed\b", " ** 3"),
    (r"(?<=\d),(?=\d{3}\b)", ""),  # 1,234 -> 1234: the calculator refuses separators
]
_FUNCTION = r"\b(?:" + "|".join(FUNCTIONS) + r")\s*\(|\bpi\b|\btau\b"
# A run of numbers, operators, parentheses and calculator functions; commas only inside ().
# Not inside a word: "4248-5e3a" in a UUID is not a subtraction.
RUN = re.compile(rf"(?<![\w.-])(?:-(?=\d))?(?:{_FUNCTION}|[\d(.])"
                 rf"(?:{_FUNCTION}|[\d\s.+\-*/%()]|,(?=[^()]{{0,40}}\)))*")
OPERATION = re.compile(rf"[\d)]\s*(?:\*\*|//|[-+*/%])\s*[-+(\d]|{_FUNCTION}")
CALCULATOR_WORDS = re.compile(r"calc|math|arithmetic|evaluat|comput", re.I)
EXPRESSION_PARAMS = ("expression", "expr", "formula", "equation", "input", "query")
MAX_CALLS = 10  # parallel calls in one reply; more expressions than that are left out
GENERIC_WORDS = {"get", "set", "fetch", "find", "search", "lookup", "look", "list", "create",
                 "update", "delete", "make", "run", "call", "tool", "function", "api", "current",
                 "info", "data"}


def expressions(text: str) -> list[str]:
    """Arithmetic in ``text``:
    "what's (17 + 25) / 6 and 2 times 3?" -> ["(17 + 25) / 6", "2 * 3"]."""
    for pattern, replacement in SPOKEN:
        text = re.sub(pattern, replacement, text)
    found = []
    for match in RUN.finditer(text):
        end = match.start() + len(match.group().rstrip())
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue  # the run goes on into a word ("12-5e3a", "3abc"): not arithmetic
        candidate = " ".join(match.group().split()).rstrip(" +-*/%.")
        while candidate.count("(") != candidate.count(")"):  # trim a stray bracket at an end
            if candidate.count("(") > candidate.count(")"):
                candidate = candidate[1:] if candidate.startswith("(") else candidate + ")"
            else:
                candidate = candidate[:-1] if candidate.endswith(")") else candidate[1:]
        if OPERATION.search(candidate) and not re.fullmatch(r"\d{4}-\d\d-\d\d", candidate):
            found.append(candidate.strip())
    return found


def expression_parameter(tool: Tool) -> str | None:
    """The string parameter a calculator-like tool takes its expression in, if any."""
    properties = tool.parameters.get("properties", {})
    strings = [name for name, spec in properties.items() if spec.get("type") == "string"]
    named = [name for name in strings if name.lower() in EXPRESSION_PARAMS]
    about = f"{tool.name} {tool.description or ''}"
    if named and (CALCULATOR_WORDS.search(about) or len(strings) == 1):
        return named[0]
    if strings and CALCULATOR_WORDS.search(tool.name):
        return (tool.parameters.get("required") or strings)[0]
    return None


def named_by(tool: Tool, text: str) -> bool:
    """Does the text name the tool? ("weather" for get_weather; or two description words)."""
    said = set(words(text))
    name = {w for w in words(re.sub(r"([a-z])([A-Z])", r"\1 \2", tool.name).replace("_", " "))
            if w not in GENERIC_WORDS and len(w) >= 3}
    described = {w for w in words(tool.description or "") if len(w) >= 4} - GENERIC_WORDS
    return bool(name & said) or len(described & said) >= 2


def call_tools(request: GenerationRequest) -> Reply | None:
    choice, tools = request.tool_choice, request.tools
    if not tools or choice == "none":
        return None
    forced = choice != "auto"  # "required" or a tool's name
    if not forced and request.messages and request.messages[-1].role != "user":
        return None  # tool results came back: answer (see answer_from_results)
    if choice not in ("auto", "required"):
        tools = [t for t in tools if t.name == choice] or [Tool(name=choice)]
    text = last_user_text(request)
    arithmetic = expressions(text)
    calculator = next((t for t in tools if expression_parameter(t)), None)
    if arithmetic and calculator:
        return reply_with(request, calculator_calls(request, calculator, arithmetic), "calculator")
    tool = next((t for t in tools if named_by(t, text)), tools[0] if forced else None)
    if tool is None:
        return None
    return reply_with(request, [(tool, arguments(tool, text))], "tools")


def calculator_calls(request: GenerationRequest, calculator: Tool,
                     found: list[str]) -> list[tuple[Tool, dict]]:
    """One call per expression (at most MAX_CALLS), other required arguments from the text."""
    text = last_user_text(request)
    param, common = expression_parameter(calculator), arguments(calculator, text)
    return [(calculator, {**common, param: e}) for e in found[:MAX_CALLS]]


def reply_with(request: GenerationRequest, calls: list[tuple[Tool, dict]], behaviour: str) -> Reply:
    """The calls as a reply: only the first when parallel tool calls are off."""
    if not request.parallel_tool_calls:
        calls = calls[:1]
    made = [make_call(request, i, tool.name, args) for i, (tool, args) in enumerate(calls)]
    return Reply(tool_calls=made, behaviour=behaviour)


def arguments(tool: Tool, text: str) -> dict:
    """Required arguments filled from the text, as for structured output; a string that
    cannot be found is the user's whole message (a model would paraphrase it)."""
    schema = {"type": "object", **tool.parameters}
    filled = Filler(schema, text).value(schema, only_required=True)
    if not isinstance(filled, dict):  # parameters that are a choice of schemas at the top
        return {}
    return {k: text.strip() if v == "unknown" else v for k, v in filled.items()}


def make_call(request: GenerationRequest, index: int, name: str, args: dict) -> ToolCall:
    arguments_json = json.dumps(args, ensure_ascii=False, separators=(",", ":"))
    key = f"{len(request.messages)}|{index}|{name}|{arguments_json}|{last_user_text(request)}"
    return ToolCall(f"call_{hashlib.sha256(key.encode()).hexdigest()[:24]}", name, arguments_json)


# ------------------------------------------------------------------------------------------


def turn(messages: list[Message]) -> list[Message]:
    """The messages after the last user message: this turn's tool calls and results."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            return messages[i + 1 :]
    return list(messages)


def string_arguments(call: ToolCall | None) -> list[str]:
    """The string values of a call's arguments ([] unless they are a JSON object)."""
    try:
        args = json.loads(call.arguments) if call else {}
    except (ValueError, RecursionError):  # JSONDecodeError, or hostile nesting
        return []
    return [v for v in args.values() if isinstance(v, str)] if isinstance(args, dict) else []


def answer_from_results(request: GenerationRequest) -> Reply | None:
    """Messages end with tool results: one sentence per result of every round since the user
    spoke, each said once (a forced loop repeats its calls). JSON output is left to
    structured.py, which reads the results too."""
    messages = request.messages
    wants_json = request.json_schema is not None or request.json_mode
    if not messages or messages[-1].role != "tool" or wants_json:
        return None
    calls = {c.id: c for m in messages if m.role == "assistant" for c in m.tool_calls}
    sentences = [phrase(calls.get(m.tool_call_id or ""), m) for m in turn(messages)
                 if m.role == "tool"]
    return Reply(" ".join(dict.fromkeys(sentences)), behaviour="tool_result")


def phrase(call: ToolCall | None, result: Message) -> str:
    """ "2 * (3 + 4) ** 2 = 98." / "The get_weather tool returned: 18°C, sunny." """
    content, name = result.content.strip() or "nothing", call.name if call else "tool"
    if result.is_error or content.lower().startswith("error"):
        message = re.sub(r"(?i)^error:?\s*", "", content)
        return f"The {name} tool failed: {message.rstrip('.')}."
    try:
        value = json.loads(content)
        if isinstance(value, dict) and len(value) == 1:
            content = str(next(iter(value.values())))  # {"result": 98} -> 98
    except json.JSONDecodeError:
        pass
    strings = string_arguments(call)
    if len(strings) == 1 and expressions(strings[0]):
        return f"{strings[0]} = {content}."
    return f"The {name} tool returned: {content.rstrip('.')}."
