"""Time `import course_lib` (and the modules a lesson's setup cell imports) in a fresh process.

Target (DESIGN.md): under 0.5 s kernel-side. Reports the median of several cold starts.
"""

import statistics
import subprocess
import sys
import time

STATEMENTS = {
    "import course_lib": "import course_lib",
    "setup cell (clients, config, models, tokens)": (
        "import course_lib; from course_lib.clients import openai_client; "
        "from course_lib import config, models, tokens"
    ),
}


def measure(statement: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    baseline = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - start)
    return statistics.median(times) - statistics.median(baseline)


def main() -> dict[str, float]:
    results = {}
    for label, statement in STATEMENTS.items():
        results[label] = measure(statement)
        print(f"{results[label] * 1000:8.1f} ms  {label} (interpreter start-up subtracted)")
    return results


if __name__ == "__main__":
    main()
