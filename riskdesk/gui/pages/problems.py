"""Data problems page: every error, warning, assumption and skipped row of the current inventory,
located, with the choice made about it. The same list feeds the workbook's data-issues sheet and
the PDF's data-quality section (it is the session's, kept in the project).
"""

from __future__ import annotations

from collections.abc import Callable

from riskdesk.core.models import DataIssue, Lang, Severity
from riskdesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QEvent,
    QHeaderView,
    QLabel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.workspace import Workspace

SEVERITY_COLOURS = {
    Severity.ERROR: "#f4c7c3",
    Severity.WARNING: "#fce8b2",
    Severity.ASSUMPTION: "#d2e3fc",
}


def severity_label(severity: Severity) -> str:
    return {
        Severity.ERROR: translate("Problems", "error"),
        Severity.WARNING: translate("Problems", "warning"),
        Severity.ASSUMPTION: translate("Problems", "assumption"),
    }[severity]


def resolution_label(resolution: str | None) -> str:
    labels = {
        "excluded": translate("Problems", "row left out"),
        "imported_missing": translate("Problems", "imported; cell left empty to fix in place"),
        "fixed": translate("Problems", "fixed"),
        "kept_first": translate("Problems", "first row kept"),
        "kept_both": translate("Problems", "both kept (renamed)"),
        "skipped": translate("Problems", "skipped"),
        "imported": translate("Problems", "imported"),
    }
    if resolution is None:
        return translate("Problems", "noted")
    return labels.get(resolution, resolution)


def location_text(issue: DataIssue, lang: Lang) -> str:
    return issue.location(lang)


class ProblemsPage(QWidget):
    jump_requested = Signal(int, str)  # inventory row, column

    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPage")
        self.ws = workspace
        self.lang = lang_fn
        self.summary = named(QLabel(), "problemsSummary")
        self.summary.setWordWrap(True)
        self.table = named(QTableWidget(0, 5), "problemsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.cellDoubleClicked.connect(self._jump)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        for signal in (workspace.inventory_changed, workspace.session_changed):
            signal.connect(self.reload)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            translate("Problems", "Kind"), translate("Problems", "Where"),
            translate("Problems", "Value"), translate("Problems", "Problem"),
            translate("Problems", "What was done"),
        ])
        self.reload()

    def reload(self) -> None:
        issues = list(self.ws.issues)
        lang = self.lang()
        self.table.setRowCount(len(issues))
        for r, issue in enumerate(issues):
            texts = (severity_label(issue.severity), location_text(issue, lang),
                     issue.value or "", issue.message(lang), resolution_label(issue.resolution))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setBackground(QColor(SEVERITY_COLOURS[issue.severity]))
                    item.setData(Qt.ItemDataRole.UserRole, r)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        counts = {s: sum(1 for i in issues if i.severity == s) for s in Severity}
        if not issues:
            self.summary.setText(translate("Problems", "The current inventory has no data "
                                                       "problems."))
        else:
            self.summary.setText(translate(
                "Problems", "{errors} errors, {warnings} warnings, {assumptions} assumptions in "
                            "the current inventory. Double-click a problem to go where it is "
                            "fixed.").format(errors=counts[Severity.ERROR],
                                             warnings=counts[Severity.WARNING],
                                             assumptions=counts[Severity.ASSUMPTION]))

    def _jump(self, row: int, _column: int) -> None:
        from riskdesk.gui.importing import inventory_row_for_issue

        issues = self.ws.issues
        if not 0 <= row < len(issues):
            return
        issue = issues[row]
        inventory_row = inventory_row_for_issue(self.ws.inventory, issue)
        if inventory_row is not None:
            self.jump_requested.emit(inventory_row, issue.column or "")
