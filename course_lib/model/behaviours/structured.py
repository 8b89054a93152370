"""Structured output: a JSON value that validates against the requested schema.

Real models are *constrained* to the schema while they sample (OpenAI strict mode) or trained
to follow it; the stand-in fills the schema instead, taking values from the user's words:

    {"name": string, "age": integer} + "My name is Ada and I am 36."  ->  {"name":"Ada","age":36}

Supported: type (incl. lists like ["string", "null"]), properties, required, enum, const,
items, minItems/maxItems, anyOf/oneOf/allOf (the first non-null choice), $ref to $defs,
minimum/maximum, minLength/maxLength. Not supported: pattern, formats beyond plausible
defaults, if/then. Values not found in the text get a default ("unknown", 0, false, first enum).
The same filler writes tool-call arguments (see tools.py).

Recursive schemas (a ``$ref`` inside itself, as in a linked list: ``next`` is
``anyOf [Node, null]``) are filled to a depth of SHALLOW nested values; below that every value
is the smallest that validates: null where the schema allows it, only the required properties,
``minItems`` items. (Schemas that do not contain themselves are filled in full, at any depth.)
A schema with no finite instance (a required property that is its own type), or one that would
need more than MAX_VALUES values, raises :class:`InvalidRequest` (a 400).
"""

from __future__ import annotations

import itertools
import json
import re

from course_lib.model.behaviours.base import STOPWORDS, Reply, last_user_text, user_texts
from course_lib.model.schemas import resolve_ref
from course_lib.model.types import GenerationRequest, InvalidRequest

NAME = r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)*"  # "Ada", "Ada Lovelace", "New York"
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
FORMAT_DEFAULTS = {"date": "2025-01-01", "date-time": "2025-01-01T00:00:00Z",
                   "email": "user@example.com", "uri": "https://example.com"}
NOT_NAMES = STOPWORDS | {  # capitalised words that are rarely people
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "today", "tomorrow", "yesterday", "we", "they", "he", "she", "our",
    "please", "extract", "give", "return", "list", "hi", "hello", "dear", "yes", "no", "then",
    "reply", "respond", "answer", "output", "json", "here", "note", "text", "name", "born",
    # words of validation errors sent back in a repair prompt ("city: Field required")
    "field", "required", "input", "should", "valid", "value", "error", "errors", "schema",
    "missing", "type", "string", "integer", "number", "boolean", "object", "array",
}
SHALLOW = 6  # nesting depth past which values are the smallest that validate
SHALLOW_STEPS = 18  # the same for steps through anyOf/oneOf/allOf that do not nest
DEEPEST = 64  # steps at most: deeper means the schema has no finite instance
MAX_VALUES = 20_000  # values in one answer at most
POSITIVE = {"love", "great", "excellent", "good", "happy", "wonderful", "amazing", "best", "like"}
NEGATIVE = {"hate", "terrible", "bad", "awful", "worst", "broken", "broke", "poor", "angry"}


def fill_json(request: GenerationRequest) -> Reply | None:
    if request.json_schema is None and not request.json_mode:
        return None
    # Latest first, tool results before the question: {"result": number} after a calculator
    # call should hold the calculator's answer, not the first number the user typed.
    tool_results = [m.content for m in reversed(request.messages) if m.role == "tool"]
    text = "\n".join(tool_results + user_texts(request))
    if request.json_schema is not None:
        schema = request.json_schema
        if "schema" in schema and "type" not in schema:  # OpenAI's {"name", "schema", "strict"}
            schema = schema["schema"]
        return Reply(dumps(Filler(schema, text).value(schema)), behaviour="json_schema")
    # JSON mode: the prompt itself says what shape to use (a real model follows it), in the
    # system prompt or the question: a JSON Schema, an example object, or named keys.
    instructions = [m.content for m in request.messages if m.role == "system"]
    instructions.append(last_user_text(request))
    shape, spans = described_schema("\n".join(instructions))
    for span in spans:  # the schema's own words are not values ("name": "string")
        text = text.replace(span, " ")
    if shape is not None:
        return Reply(dumps(Filler(shape, text).value(shape)), behaviour="json_mode")
    keys = named_keys("\n".join(instructions))
    if not keys:
        return None  # the engine wraps whatever else answers as {"answer": ...}
    filler = Filler({}, text)
    return Reply(dumps({k: filler.guess(k) for k in keys}), behaviour="json_mode")


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def named_keys(prompt: str) -> list[str]:
    """Keys a JSON-mode prompt asks for: quoted words, or a list after "keys"/"fields"."""
    quoted = re.findall(r"[\"'`]([A-Za-z_][\w]{0,30})[\"'`]", prompt)
    if quoted:
        return list(dict.fromkeys(quoted))
    listed = re.search(r"(?i:\b(?:keys|fields|properties)\b)\s*:?\s*([\w ,]+)", prompt)
    items = re.split(r",|\band\b", listed.group(1)) if listed else []
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


# ------------------------------------------------------------------------------------------


class Filler:
    """Fills one schema from one text; remembers which numbers it used (age 36, then 3 pets)."""

    def __init__(self, root: dict, text: str) -> None:
        self.root, self.text = root, re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
        self.used: set[int] = set()
        self.picked: list = []  # enum values chosen so far (from_unit, then to_unit)
        self.steps = 0  # how deep value() is nested right now (any kind of step)
        self.made = 0  # values written so far
        self.open_refs: list[str] = []  # the $refs being filled right now, outermost first
        self.reentered = 0  # how many of those are a $ref inside itself (recursion)

    def resolve(self, schema: dict, followed: list[str] | None = None) -> dict:
        """``schema`` with its ``$ref`` s followed (appended to ``followed``)."""
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:  # "#/$defs/Address"
            ref = schema["$ref"]
            if not isinstance(ref, str) or ref in seen:
                raise InvalidRequest(f"The JSON schema's '$ref' {ref!r} only leads back to itself.")
            seen.add(ref)
            if followed is not None:
                followed.append(ref)
            schema = resolve_ref(self.root, ref)
        return schema if isinstance(schema, dict) else {}

    def value(self, schema: dict, key: str = "", depth: int = 0, only_required: bool = False):
        if self.steps >= DEEPEST:
            raise InvalidRequest(
                f"The offline stand-in cannot fill this JSON schema: it nests deeper than "
                f"{DEEPEST} levels without reaching a value that can end it (does a required "
                "property refer back to its own type, with no null alternative?)."
            )
        self.made += 1
        if self.made > MAX_VALUES:
            raise InvalidRequest(
                f"The offline stand-in cannot fill this JSON schema: the answer would need more "
                f"than {MAX_VALUES} values."
            )
        refs: list[str] = []
        schema = self.resolve(schema, refs)
        again = any(ref in self.open_refs for ref in refs)
        self.steps += 1
        self.open_refs += refs
        self.reentered += again
        try:
            # Only a schema that contains itself is cut short: others are filled in full.
            smallest = bool(self.reentered) and (depth > SHALLOW or self.steps > SHALLOW_STEPS)
            return self._value(schema, key, depth, only_required, smallest)
        finally:
            self.steps -= 1
            del self.open_refs[len(self.open_refs) - len(refs) :]
            self.reentered -= again

    def _value(self, schema: dict, key: str, depth: int, only_required: bool, smallest: bool):
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            choice = pick_enum(schema["enum"], self.text, self.picked, key)
            self.picked.append(choice)
            return choice
        for combinator in ("anyOf", "oneOf", "allOf"):
            if combinator in schema:
                raw = schema[combinator]
                choices = [self.resolve(c) for c in raw]
                order = list(range(len(raw)))
                if smallest and combinator != "allOf":
                    if any(allows_null(c) for c in choices):
                        return None
                    order.sort(key=lambda i: nests(choices[i]))  # a scalar ends the recursion
                usable = [i for i in order if choices[i].get("type") != "null"] or order
                return self.value(raw[usable[0]], key, depth)
        kind = schema.get("type") or ("object" if "properties" in schema else "string")
        if isinstance(kind, list):
            if smallest and "null" in kind:
                return None
            nullable, kind = "null" in kind, next((k for k in kind if k != "null"), "null")
            if nullable and not self.gives({**schema, "type": kind}, key):
                return None  # an optional value the text does not give: null, as a model would
        if kind == "object":
            return self.fill_object(schema, depth, only_required, smallest)
        if kind == "array":
            return self.array(schema, key, depth, smallest)
        if kind in ("integer", "number"):
            number = self.number(key)
            low, high = schema.get("minimum", -1e308), schema.get("maximum", 1e308)
            number = min(max(number, low), high)
            return int(number) if kind == "integer" else number
        if kind == "boolean":
            return mentioned(key, self.text) and not negated(key, self.text)
        if kind == "null":
            return None
        text = self.string(key) or FORMAT_DEFAULTS.get(schema.get("format", ""), "unknown")
        text = text[: schema.get("maxLength", len(text))]
        return text.ljust(schema.get("minLength", 0), ".")

    def array(self, schema: dict, key: str, depth: int, smallest: bool = False) -> list:
        raw = schema.get("items", {})  # unresolved: value() tracks the $refs it follows
        items = self.resolve(raw)
        found: list = []
        if smallest:
            pass  # minItems items, below
        elif items.get("type", "string") == "string" and "enum" not in items and depth < SHALLOW:
            found = listed(key, self.text)
        elif depth < SHALLOW:
            found = [self.value(raw, key, depth + 1)]
        while len(found) < schema.get("minItems", 0):
            found.append(self.value(raw, key, depth + 1))
        return found[: schema.get("maxItems", len(found))]

    def string(self, key: str) -> str | None:
        k, text = " ".join(split_key(key)), self.text
        patterns = [rf"(?i:\b{k}\b)\s*(?:is|are|was|:|=)\s*\"?([^\n\".,;!?]+)"]
        if "email" in k:
            patterns.insert(0, r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
        if re.search(r"url|link|website", k):
            patterns.insert(0, r"(https?://[^\s\"']+)")
        if re.search(r"date|day|when", k):
            patterns.insert(0, r"(\d{4}-\d{2}-\d{2}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)")
        if re.search(r"city|location|place|country|town|destination", k):
            patterns.insert(0, rf"(?i:\b(?:in|at|from|to|visit)\b)\s+({NAME})")
        if re.search(r"\bname\b", k):
            patterns.insert(0, rf"(?i:name is|i am|i'm|called|named|this is)\s+({NAME})")
        for pattern in patterns:
            match = re.search(pattern, text)
            value = match.group(1).strip() if match else None
            if value is None and pattern is patterns[-1] and re.search(r"\bname\b|person|author", k):
                value = first_name_in(text)  # "Ada Lovelace is 36": the name the text is about
            if value:
                if re.search(r"\bfirst\b", k):
                    return value.split()[0]
                if re.search(r"\b(?:last|family|surname)\b", k):
                    return value.split()[-1]
                return value
        return None

    def number(self, key: str) -> float:
        """The number nearest to the key's words in the text, else the first unused one."""
        found = itertools.islice(NUMBER.finditer(self.text), 1000)  # bounds the work below
        matches = [m for m in found if m.start() not in self.used]
        if not matches:
            return 0
        near = [rf"\b{w}" for w in split_key(key)]
        if re.search(r"\bage\b|old", key):
            near.append(r"years? old|\baged?\b|\bI am\b|\bI'm\b|\bthen\b")
            # "In 1843 Ada, then 27": an age is not a year
            ages = [m for m in matches if not re.fullmatch(r"1\d{3}|20\d{2}", m.group())]
            matches = ages or matches
        spots = [m.start() for pattern in near for m in re.finditer(pattern, self.text, re.I)][:50]
        best = min(matches, key=lambda m: min((abs(m.start() - s) for s in spots), default=0))
        self.used.add(best.start())
        return float(best.group()) if "." in best.group() else int(best.group())

    def fill_object(self, schema: dict, depth: int, only_required: bool, smallest: bool) -> dict:
        """The properties in order; those that must have a value are filled first, so that an
        optional one ("precision") cannot take the number a required one ("value") needs.
        With ``only_required`` (tool arguments), an optional property appears only when the
        text gives it ("... with 1 decimal place")."""
        required = schema.get("required", [])
        properties = schema.get("properties", {})

        def optional(name: str) -> bool:
            sub = self.resolve(properties[name])
            return name not in required or allows_null(sub) or (None in sub.get("enum", [0]))

        def wanted(name: str) -> bool:
            if not (only_required or smallest) or name in required:
                return True
            return not smallest and self.gives(self.resolve(properties[name]), name)

        filled = {name: self.value(properties[name], name, depth + 1)
                  for name in sorted(properties, key=optional)  # stable within each group
                  if wanted(name)}
        return {name: filled[name] for name in properties if name in filled}

    def gives(self, schema: dict, key: str) -> bool:
        """Does the text give a value for ``key``: an enum option it mentions, a number not
        used yet, a string after the key's words, the key's words for a boolean?"""
        if "enum" in schema:
            return any(o is not None and re.search(rf"\b{re.escape(str(o))}\b", self.text, re.I)
                       for o in schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind in ("integer", "number"):
            return any(m.start() not in self.used for m in NUMBER.finditer(self.text))
        if kind == "string":
            return self.string(key) is not None
        if kind == "boolean":
            return mentioned(key, self.text)
        return False

    def guess(self, key: str):
        """JSON mode: a string if the text states one, else a number, else "unknown"."""
        return self.string(key) or (self.number(key) if NUMBER.search(self.text) else "unknown")


def allows_null(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "null" or (isinstance(kind, list) and "null" in kind) or (
        "const" in schema and schema["const"] is None
    )


def nests(schema: dict) -> bool:
    """Might filling ``schema`` go deeper (an object, an array, a reference, a choice)?"""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return bool({"object", "array", None} & set(kinds)) and "enum" not in schema and (
        "const" not in schema
    )


def split_key(key: str) -> list[str]:
    """"firstName" / "first_name" -> ["first", "name"]."""
    return re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", key).lower())


# What comes just before a mention of an option, for a key that names a direction:
# "from_unit" is the unit after a number or "from"; "to_unit" the one after "to"/"into"/"in"
# or "how many" ("How many kilometres is 26.2 miles?": to kilometres, from miles).
DIRECTIONS = [(re.compile(r"\b(?:to|into|target|dest\w*|output)\b"),
               r"(?:\b(?:to|into|in|as)|\bhow many)\s+$"),
              (re.compile(r"\b(?:from|source|input|original)\b"), r"(?:\bfrom|\d)\s*$")]


def pick_enum(options: list, text: str, taken: list | None = None, key: str = ""):
    """The option the text mentions first that no earlier field ``taken`` (or, for a key
    like "to_unit", the one the sentence points at); for a sentiment enum, a tiny word list
    decides. ("Convert 5 miles to kilometres": from_unit "miles", to_unit "kilometres".)"""
    hits = sorted(((m.start(), i) for i, o in enumerate(options)
                   for m in re.finditer(rf"\b{re.escape(str(o))}\b", text, re.I)))
    words = " ".join(split_key(key))
    for named, before in DIRECTIONS:
        if named.search(words):
            pointed = [i for start, i in hits if re.search(before, text[:start], re.I)]
            if pointed:
                return options[pointed[0]]
    if hits:
        fresh = [i for _, i in hits if options[i] not in (taken or [])]
        return options[fresh[0] if fresh else hits[0][1]]
    if None in options:  # a nullable enum the text says nothing about
        return None
    lowered = [str(o).lower() for o in options]
    if "positive" in lowered and "negative" in lowered:
        tokens = set(re.findall(r"[a-z]+", text.lower()))
        score = len(tokens & POSITIVE) - len(tokens & NEGATIVE)
        wanted = "positive" if score > 0 else "negative" if score < 0 else "neutral"
        if wanted in lowered:
            return options[lowered.index(wanted)]
    return options[0]


def mentioned(key: str, text: str) -> bool:
    return any(re.search(rf"\b{w}", text, re.I) for w in split_key(key))


def negated(key: str, text: str) -> bool:
    pattern = r"(?:\bnot|\bno|\bnever|n't)\W+(?:\w+\W+)?"
    return any(re.search(pattern + w, text, re.I) for w in split_key(key))


def listed(key: str, text: str) -> list[str]:
    """Items listed after the key ("ingredients: flour, eggs and milk"), else capitalised
    names for people-like keys ("Alice and Bob are going" -> ["Alice", "Bob"])."""
    k = " ".join(split_key(key))
    match = re.search(rf"(?i:\b{k}\w*)\s*(?:are|is|:|include|=)?\s*([^\n.;!?]+)", text)
    if match and ("," in match.group(1) or " and " in match.group(1)):
        return [i.strip() for i in re.split(r",|\band\b", match.group(1)) if i.strip()]
    if re.search(r"participant|people|attendee|author|member|guest|friend|name|person|user", k):
        names = re.findall(r"\b[A-Z][a-z]+\b", text)
        return list(dict.fromkeys(n for n in names if n.lower() not in NOT_NAMES))
    return []


# ------------------------------------------------------------------------------------------
# JSON mode: the shape the prompt asks for, and a person's name in free text

TYPE_WORDS = {"string": "string", "str": "string", "text": "string", "integer": "integer",
              "int": "integer", "number": "number", "float": "number", "boolean": "boolean",
              "bool": "boolean", "array": "array", "list": "array", "object": "object"}


def described_schema(prompt: str) -> tuple[dict | None, list[str]]:
    """The schema a JSON-mode prompt spells out, and the spans of text that spell it.

    A JSON Schema (``{"type": "object", "properties": ...}``), an example object
    (``{"name": "Ada", "age": 36}``: the types of its values) or a sketch that is not JSON
    (``{"name": string, "age": integer}``). None when the prompt shows no object."""
    for span in objects_in(prompt):
        try:
            value = json.loads(span)
        except ValueError:
            sketch = re.findall(r"[\"']([A-Za-z_]\w{0,40})[\"']\s*:\s*[\"']?([A-Za-z]+)", span)
            if sketch:
                properties = {k: {"type": TYPE_WORDS.get(t.lower(), "string")} for k, t in sketch}
                return {"type": "object", "properties": properties}, [span]
            continue
        if isinstance(value, dict) and value:
            if isinstance(value.get("properties"), dict) or value.get("type") == "object":
                return value, [span]
            return example_schema(value), [span]
    return None, []


def objects_in(text: str) -> list[str]:
    """Balanced ``{...}`` spans, outermost, in order (braces inside strings are not counted)."""
    spans, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(text[:100_000]):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch == '"' and depth:
            quote = ch
        elif ch == "{":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                spans.append(text[start : i + 1])
    return spans


def example_schema(value: object) -> dict:
    """The schema an example value implies: ``{"age": 36}`` -> integer age."""
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, list):
        return {"type": "array", "items": example_schema(value[0]) if value else {}}
    if isinstance(value, dict):
        return {"type": "object", "properties": {str(k): example_schema(v) for k, v in value.items()}}
    if isinstance(value, str) and value.lower() in TYPE_WORDS:  # {"name": "string"}
        return {"type": TYPE_WORDS[value.lower()]}
    return {"type": "string"}


def first_name_in(text: str) -> str | None:
    """The first run of capitalised words that looks like a name: "Extract: Ada Lovelace is
    36" -> "Ada Lovelace" (sentence-opening words such as "Extract" or "In" are skipped)."""
    for match in re.finditer(NAME, text):
        words = match.group().split()
        while words and (words[0].lower() in NOT_NAMES or len(words[0]) == 1
                         or (words[0].isupper() and len(words[0]) > 1)):
            words.pop(0)
        if words:
            return " ".join(words)
    return None
