"""Fixtures shared by the stand-in's test files."""

import os

import pytest

from course_lib import offline
from course_lib.today import checked_on

# Model status follows shutdown dates: tests (and the notebook kernels nbval starts) see the day
# data/models.csv was checked, whatever day they run (`make test` sets the same).
os.environ.setdefault("COURSE_TODAY", checked_on().isoformat())

# Scripts kept here are not tests. With --doctest-modules (pyproject.toml) pytest would import
# them, and setup_jupyterlab.py writes JupyterLab's settings when imported.
collect_ignore = ["build_index.py", "execute_notebooks.py", "rehearse_real_keys.py",
                  "setup_jupyterlab.py"]


@pytest.fixture(scope="module")
def url() -> str:
    """The default stand-in's base URL. Module scope: a test may stop and restart it."""
    return offline.start().url
