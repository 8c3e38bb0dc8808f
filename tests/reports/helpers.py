"""Reading PDFs back the way a reader's tools do (poppler)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def pdf_text(path: Path) -> str:
    """Text as poppler extracts it (what a reader's search finds), whitespace collapsed."""
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return " ".join(raw.split())


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils not installed",
)


def pdf_page_texts(path: Path, *, layout: bool = False) -> list[str]:
    """Each page's text as poppler extracts it (pages are separated by form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    raw = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    return raw.split("\f")[:-1]
