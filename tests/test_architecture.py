"""The headless core works without Qt: the CLI assesses and writes reports with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from riskdesk.cli.demo import DEMO_INVENTORY

BLOCK_QT = textwrap.dedent(
    """
    import importlib.abc, sys

    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, NoQt())
    """
)


def test_cli_assess_and_reports_run_without_qt(tmp_path):
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    script = BLOCK_QT + textwrap.dedent(
        f"""
        from riskdesk.cli.main import main
        code = main(["assess", {str(DEMO_INVENTORY)!r}, "--no-robustness", "--lang", "en",
                     "--pdf", {str(pdf)!r}, "--xlsx", {str(xlsx)!r}, "--chain", "PEN-TIP"])
        assert code == 0, code
        assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert pdf.stat().st_size > 0
    assert xlsx.stat().st_size > 0
