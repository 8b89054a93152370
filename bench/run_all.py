"""`make bench`: every performance figure quoted in README.md."""

import runpy
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

print("== import time ==")
runpy.run_path(str(HERE / "bench_import.py"), run_name="__main__")
for script in ("bench_standin.py", "bench_chat_api.py", "bench_course.py"):
    if (HERE / script).exists():
        print(f"== {script} ==", flush=True)
        subprocess.run([sys.executable, str(HERE / script)], check=False)
