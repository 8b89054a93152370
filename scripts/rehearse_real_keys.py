"""Run every notebook the way a student with real API keys would, without the internet.

A separate stand-in process plays the providers; the kernel gets keys and
OPENAI_BASE_URL / ANTHROPIC_BASE_URL pointing at it, and no COURSE_OFFLINE. So
course_lib takes its *real-key* path (plain ``openai.OpenAI()`` reading the environment),
and anything a lesson does to the in-process stand-in (fault injection, reset) has no
effect on the "provider", just as with a real key. Every cell must still run; outputs are
not compared (they legitimately differ). Copies are executed; notebooks are not modified.

    python scripts/rehearse_real_keys.py [notebook ...]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(path: str) -> tuple[str, str | None]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        return path, str(exc).splitlines()[-1]
    # Solutions must pass against any provider. verify_solution() raises SolutionFailed (so a
    # failing solution already stopped execution above) and prints nothing when it passes.
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []))
            if "❌" in text or "NOT YET" in text:
                return path, f"a solution's check did not pass: {text.strip()[:200]}"
    banner = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    if "offline stand-in, model" in banner:
        return path, "took the offline path although keys were set"
    return path, None


def main(args: list[str]) -> int:
    from course_lib.offline.lifecycle import spawn

    server, url = spawn(stderr=subprocess.DEVNULL)
    copy = ROOT / ".rehearsal-notebooks"  # beside notebooks/, so relative paths resolve
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ROOT / "notebooks", copy)
    env = {k: v for k, v in os.environ.items() if k != "COURSE_OFFLINE"}
    env |= {
        "OPENAI_API_KEY": "offline-rehearsal-key", "ANTHROPIC_API_KEY": "offline-rehearsal-key",
        "OPENAI_BASE_URL": url + "/v1", "ANTHROPIC_BASE_URL": url,
    }
    os.environ.clear()
    os.environ.update(env)
    try:
        names = [copy / Path(a).resolve().relative_to(ROOT / "notebooks") for a in args]
        paths = [str(p) for p in names] or sorted(
            str(p) for p in copy.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        )
        failed = 0
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for path, error in pool.map(run, paths):
                name = Path(path).relative_to(copy)
                print(f"{'FAILED' if error else 'ok':6}  {name}{'  ' + error if error else ''}")
                failed += bool(error)
        return 1 if failed else 0
    finally:
        server.terminate()
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
