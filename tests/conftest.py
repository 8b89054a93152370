"""Fixtures shared by the stand-in's test files."""

import pytest

from course_lib import offline

# Scripts kept here are not tests. With --doctest-modules (pyproject.toml) pytest would import
# them, and setup_jupyterlab.py writes JupyterLab's settings when imported.
collect_ignore = ["build_index.py", "execute_notebooks.py", "rehearse_real_keys.py",
                  "setup_jupyterlab.py"]


@pytest.fixture(scope="module")
def url() -> str:
    """The default stand-in's base URL. Module scope: a test may stop and restart it."""
    return offline.start().url
