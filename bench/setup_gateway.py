"""Create .venv-bench, the LiteLLM proxy's own venv, from pyproject's ``bench`` extra.

    python bench/setup_gateway.py        # what `make bench` runs (once; again when pins change)

Its own venv, not .venv: LiteLLM's boto3 needs python-dateutil<3 while the course pins 4.x, and
the proxy runs as a separate process anyway (as a gateway would). Installs with
bench/constraints.txt and refuses the compromised LiteLLM 1.107.0 whatever the pins say.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
CONSTRAINTS = ROOT / "bench" / "constraints.txt"
COMPROMISED = {"1.107.0"}


def requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["optional-dependencies"]["bench"]


def pinned_litellm(lines: list[str]) -> str | None:
    """The version ``litellm==X`` pins among requirement lines, or None.

    >>> pinned_litellm(["backoff", "litellm==1.110.2"])
    '1.110.2'
    """
    for line in lines:
        name, _, version = line.partition("==")
        if name.strip().lower() == "litellm":
            return version.split(";")[0].strip() or None
    return None


def main() -> int:
    wanted = requirements()
    pins = [line for line in CONSTRAINTS.read_text().splitlines() if line and line[0] != "#"]
    for version in (pinned_litellm(wanted), pinned_litellm(pins)):
        if version is None or version in COMPROMISED:
            print(f"refusing: litellm must be pinned to a safe release, not {version}")
            return 1
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), *wanted],
        check=True,
    )
    installed = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if installed in COMPROMISED:
        print(f"refusing: litellm {installed} is the compromised release; delete {VENV}")
        return 1
    print(f"{VENV.name}: litellm {installed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
