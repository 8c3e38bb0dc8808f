"""Report fixtures: the demo inventory assessed by the real engine, and helpers to read PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.inventory import Inventory
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf import write_pdf

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"


@pytest.fixture(scope="session")
def demo(taxonomy: Taxonomy) -> tuple[AssessmentRun, Inventory]:
    inventory = read_inventory(DEMO, taxonomy)
    return assess_inventory(inventory, taxonomy), inventory


@pytest.fixture(scope="session")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def demo_pdfs(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, reports_dir: Path
) -> dict[str, Path]:
    """Dossier of the first demo chain and the whole-demo portfolio, in zh and en (built once)."""
    run, inventory = demo
    first = run.chains[0].chain_id
    out: dict[str, Path] = {}
    for lang in ("zh", "en"):
        dossier = ReportOptions(
            lang=lang, chains=[first], organisation="产业安全研究所", author="张三"
        )
        out[f"dossier_{lang}"] = write_pdf(
            run,
            reports_dir / f"dossier_{lang}.pdf",
            dossier,
            inventory=inventory,
            taxonomy=taxonomy,
        )
        out[f"portfolio_{lang}"] = write_pdf(
            run,
            reports_dir / f"portfolio_{lang}.pdf",
            ReportOptions(lang=lang),
            inventory=inventory,
            taxonomy=taxonomy,
        )
    return out
