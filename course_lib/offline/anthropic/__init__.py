"""The stand-in's Anthropic side: routes, request checks, wire format."""
