"""Fixtures shared by the stand-in's test files."""

import pytest

from course_lib import offline


@pytest.fixture(scope="module")
def url() -> str:
    """The default stand-in's base URL. Module scope: a test may stop and restart it."""
    return offline.start().url
