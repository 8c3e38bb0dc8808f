"""Modal questions go through one function, so tests answer them instead of blocking.

A question box is a ``QMessageBox`` whose buttons carry object names; ``ask`` shows it modally
and returns the object name of the button the analyst pressed ("" for none). Tests replace
``answer`` with a function that picks a button by name.
"""

from __future__ import annotations

from collections.abc import Callable

from riskdesk.gui.qt import QMessageBox


def _exec(box: QMessageBox) -> str:
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None else ""


answer: Callable[[QMessageBox], str] = _exec


def ask(box: QMessageBox) -> str:
    """Show ``box`` and return the object name of the chosen button ("" if closed)."""
    return answer(box)
