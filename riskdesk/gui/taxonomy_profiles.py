"""Named taxonomy profiles, kept in the user's data directory (the country risk list belongs to
each project: it is part of the assessment).

A profile is a directory of the same TOML files as the bundled taxonomy/, written with tomli-w,
so `riskdesk assess --taxonomy DIR` reads it too.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tomli_w

from riskdesk.core.taxonomy import DEFAULT_TAXONOMY_DIR, TAXONOMY_FILES, Taxonomy, load_taxonomy
from riskdesk.gui.settings import taxonomy_profiles_dir

_NAME = re.compile(r"^[\w\-. \u4e00-\u9fff]{1,60}$")


def _key_files() -> dict[str, str]:
    """Which file of the bundled taxonomy holds each top-level key."""
    where: dict[str, str] = {}
    for name in TAXONOMY_FILES:
        path = DEFAULT_TAXONOMY_DIR / name
        if path.exists():
            for key in tomllib.loads(path.read_text(encoding="utf-8")):
                where[key] = name
    return where


def valid_profile_name(name: str) -> bool:
    return bool(_NAME.match(name)) and name.strip() == name and name not in (".", "..")


def save_profile(taxonomy: Taxonomy, name: str, root: Path | None = None) -> Path:
    """Write the taxonomy as a named profile; returns its directory. Re-reads it to prove it loads."""
    if not valid_profile_name(name):
        raise ValueError(name)
    target = (root or taxonomy_profiles_dir()) / name
    target.mkdir(parents=True, exist_ok=True)
    data = taxonomy.model_dump(mode="json", exclude_none=True)
    data["name"] = name
    where = _key_files()
    files: dict[str, dict[str, object]] = {}
    for key, value in data.items():
        files.setdefault(where.get(key, "taxonomy.toml"), {})[key] = value
    for filename, content in files.items():
        tmp = target / f".{filename}.tmp"
        tmp.write_text(tomli_w.dumps(content), encoding="utf-8")
        tmp.replace(target / filename)
    load_taxonomy(target)
    return target


def list_profiles(root: Path | None = None) -> list[str]:
    base = root or taxonomy_profiles_dir()
    return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / "taxonomy.toml").exists())


def load_profile(name: str, root: Path | None = None) -> Taxonomy:
    return load_taxonomy((root or taxonomy_profiles_dir()) / name)
