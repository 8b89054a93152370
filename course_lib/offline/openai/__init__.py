"""The stand-in's OpenAI side: routes, request checks, per-model limits, messages, tools, wire format."""
