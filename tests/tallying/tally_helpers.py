"""Helpers for the tallying tests: where the pabulib reference instances are."""

from __future__ import annotations

import json
import os
from pathlib import Path


REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared" / "pabulib"


def pabulib_dirs() -> list[Path]:
    """Folders with ``reference.json`` (+ ``instances/``): the shared one and ``TALKA_PABULIB_DIR``."""
    dirs: list[Path] = []
    env = os.environ.get("TALKA_PABULIB_DIR")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    if DEFAULT_SHARED.is_dir():
        dirs.append(DEFAULT_SHARED)
    return [d for d in dirs if (d / "reference.json").is_file()]


def instance_path(folder: Path, name: str) -> Path:
    for candidate in (folder / "instances" / name, folder / name):
        if candidate.is_file():
            return candidate
    return folder / "instances" / name


def reference_cases() -> list[tuple[Path, str, str, dict]]:
    cases = []
    for folder in pabulib_dirs():
        ref = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
        for file_name, rules in sorted(ref.items()):
            for rule, entry in sorted(rules.items()):
                cases.append((folder, file_name, rule, entry))
    return cases
