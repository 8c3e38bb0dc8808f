"""Fixtures for project tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return default_taxonomy()


@pytest.fixture
def project(tmp_path: Path, taxonomy: Taxonomy) -> Iterator[Project]:
    p = Project.create(tmp_path / "p.rdproj", user="analyst")
    p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    yield p
    p.close()
