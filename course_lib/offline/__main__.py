"""Run the stand-in in the foreground: ``python -m course_lib.offline --port 8123``."""

from __future__ import annotations

import argparse

from course_lib import config
from course_lib.offline.lifecycle import Server

HELP = """\
Offline stand-in listening on {url}  (Ctrl-C to stop)

  OpenAI:     OpenAI(base_url="{url}/v1", api_key="offline-stand-in")
              or: OPENAI_BASE_URL={url}/v1 OPENAI_API_KEY=offline-stand-in
  Anthropic:  Anthropic(base_url="{url}", api_key="offline-stand-in")
              or: ANTHROPIC_BASE_URL={url} ANTHROPIC_API_KEY=offline-stand-in
  curl:       curl {url}/v1/chat/completions -H "Authorization: Bearer offline-stand-in" \\
                -H "Content-Type: application/json" \\
                -d '{{"model": "{model}", "messages": [{{"role": "user", "content": "Hello"}}]}}'
              curl {url}/v1/messages -H "x-api-key: offline-stand-in" \\
                -H "anthropic-version: 2023-06-01" -H "Content-Type: application/json" \\
                -d '{{"model": "{anthropic_model}", "max_tokens": 100,
                     "messages": [{{"role": "user", "content": "Hello"}}]}}'
  faults:     add a header such as  x-offline-fault: status=429; times=2; retry_after=1
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m course_lib.offline", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8123, help="port (0 picks a free one)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long before every answer, like a real provider's time "
                        "to first token (default 0: answer at once)")
    parser.add_argument("--token-delay", type=float, default=0.0, metavar="SECONDS",
                        help="seconds between streamed events, like a real provider's output "
                        "speed (default 0: as fast as the machine goes)")
    args = parser.parse_args(argv)
    if args.latency < 0 or args.token_delay < 0:
        parser.error("--latency and --token-delay must be 0 or more seconds")
    if args.latency or args.token_delay:
        from course_lib.offline.faults import REGISTRY, FaultPlan

        # A plan that never fails, only paces: every request this process serves sees it.
        REGISTRY.push(FaultPlan(latency=args.latency, token_delay=args.token_delay))
    server = Server(args.host, args.port)
    models = {  # the models the lessons use
        "model": config.default_model("openai"),
        "anthropic_model": config.default_model("anthropic"),
    }
    try:
        server.serve_forever(announce=lambda url: print(HELP.format(url=url, **models), flush=True))
    except KeyboardInterrupt:
        print("stopped")


if __name__ == "__main__":
    main()
