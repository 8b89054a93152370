"""Time `import course_lib` (and a lesson's typical setup cell) in fresh processes.

Target (DESIGN.md): kernel-side import of course_lib under 0.5 s. The time is measured
inside each fresh process around the import statement (interpreter start-up excluded);
the median of several runs is reported.
"""

import statistics
import subprocess
import sys

STATEMENTS = {
    "import course_lib": "import course_lib",
    "import course_lib.clients, config, models, tokens": (
        "import course_lib.clients, course_lib.config, course_lib.models, course_lib.tokens"
    ),
    "a setup cell: + openai_client() (imports the SDK)": (
        "import os; os.environ['COURSE_OFFLINE'] = '1'\n"
        "from course_lib.clients import openai_client; openai_client()"
    ),
}
TEMPLATE = "import time; t = time.perf_counter()\n{}\nprint(time.perf_counter() - t)"


def measure(statement: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", TEMPLATE.format(statement)],
                             check=True, capture_output=True, text=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> dict[str, float]:
    results = {}
    for label, statement in STATEMENTS.items():
        results[label] = measure(statement)
        print(f"{results[label] * 1000:8.1f} ms  {label}")
    return results


if __name__ == "__main__":
    main()
