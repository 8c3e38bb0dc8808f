"""Atomic writes for the exporters; the implementation lives in `riskdesk.io.atomic` so the
import layer (e.g. `riskdesk template`) can use it too."""

from riskdesk.io.atomic import atomic_path

__all__ = ["atomic_path"]
