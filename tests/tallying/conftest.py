"""Shared fixtures for the tallying tests (pure Python, no Flask needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tallying.tally_helpers import DEFAULT_SHARED, pabulib_dirs


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    dirs = pabulib_dirs()
    if not dirs:
        pytest.skip(f"no pabulib reference folder (looked at {DEFAULT_SHARED} and $TALKA_PABULIB_DIR)")
    return dirs[-1]
