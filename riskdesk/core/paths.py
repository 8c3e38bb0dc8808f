"""Where riskdesk's bundled data lives: the taxonomy, report templates and assets of the source tree.

One place for these paths, so the CLI, the reports and the GUI read the same files.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY_DIR = ROOT / "taxonomy"
TEMPLATES_DIR = ROOT / "templates"
ASSETS_DIR = ROOT / "assets"
DEMO_INVENTORY = ASSETS_DIR / "demo" / "demo_inventory.xlsx"
DEMO_COUNTRY_RISK = ASSETS_DIR / "demo" / "country_risk.csv"
BUNDLED_FONT = ASSETS_DIR / "fonts" / "wqy-microhei.ttc"
