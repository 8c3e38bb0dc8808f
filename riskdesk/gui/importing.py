"""Importing a spreadsheet: dry run in a worker, preview dialog, then the inventory is replaced.

The file is parsed by riskdesk.io in a separate process (`read_inventory_isolated`), so a malicious
or broken workbook cannot take the window down. Nothing reaches the workspace until the analyst has
seen the preview (rows read, located problems, assumptions) and pressed Import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, Lang, Severity
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QObject,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def read_for_gui(
    path: Path, taxonomy: Taxonomy, progress: ProgressFn, cancel: CancelFn, isolated: bool = True
) -> Inventory:
    """Parse a user file in a child process, so a hostile file cannot take the window down."""
    if isolated:
        from riskdesk.io.isolated import read_inventory_isolated

        return read_inventory_isolated(path, taxonomy, progress=progress, cancel=cancel)
    from riskdesk.io.inventory import read_inventory

    return read_inventory(path, taxonomy, progress=progress, cancel=cancel)


def issue_message(exc: BaseException, lang: Lang) -> str:
    message = getattr(exc, "message", None)
    if callable(message):
        return str(message(lang))
    return str(exc)


class ImportPreviewDialog(QDialog):
    """Rows read, problems with their location, assumptions; Import or Cancel."""

    def __init__(self, path: Path, inventory: Inventory, lang: Lang, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(translate("Import", "Import preview — {file}").format(file=path.name))
        self.inventory = inventory
        self.jump_issue: DataIssue | None = None
        issues = inventory.issues
        errors = sum(i.severity == Severity.ERROR for i in issues)
        warnings = sum(i.severity == Severity.WARNING for i in issues)
        assumptions = sum(i.severity == Severity.ASSUMPTION for i in issues)
        summary = QLabel(objectName="importSummary")
        summary.setWordWrap(True)
        summary.setText(
            translate(
                "Import",
                "{rows} rows read. {errors} errors, {warnings} warnings, {assumptions} assumptions. "
                "Nothing is stored until you press Import. Double-click a problem to import and go to it.",
            ).format(rows=len(inventory), errors=errors, warnings=warnings, assumptions=assumptions)
        )
        self.table = QTableWidget(len(issues), 3, objectName="importIssues")
        self.table.setHorizontalHeaderLabels([
            translate("Import", "Kind"), translate("Import", "Where"), translate("Import", "Problem"),
        ])
        kinds = {
            Severity.ERROR: (translate("Import", "error"), "#f4a3a3"),
            Severity.WARNING: (translate("Import", "warning"), "#fff1b8"),
            Severity.ASSUMPTION: (translate("Import", "assumption"), "#d6e9f8"),
        }
        for r, issue in enumerate(issues):
            kind, colour = kinds[issue.severity]
            cells = [kind, issue.location(), issue.message(lang)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c == 0:
                    item.setBackground(QColor(colour))
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.resizeColumnsToContents()
        self.table.cellDoubleClicked.connect(self._jump)
        buttons = QDialogButtonBox(objectName="importButtons")
        self.import_button = buttons.addButton(translate("Import", "Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("confirmImport")
        cancel = buttons.addButton(translate("Import", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelImport")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 480)

    def _jump(self, row: int, _column: int) -> None:
        self.jump_issue = self.inventory.issues[row]
        self.accept()


def inventory_row_for_issue(inventory: Inventory, issue: DataIssue) -> int | None:
    """The inventory row a located problem refers to (via the spreadsheet row number)."""
    if issue.row is None:
        return None
    for key, source_row in inventory.source_rows.items():
        if source_row == issue.row:
            try:
                return inventory.row_of(*key)
            except KeyError:
                return None
    return None


class ImportFlow(QObject):
    """File → isolated dry run (worker) → preview → workspace. Emits `imported(path)` when stored."""

    imported = Signal(str)
    jump_requested = Signal(int, str)  # inventory row, column header

    def __init__(self, parent: QWidget, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(parent)
        self._parent = parent
        self.ws = workspace
        self.lang = lang_fn
        self.op: BackgroundOp | None = None
        self.dialog: ImportPreviewDialog | None = None

    def start(self, path: Path, preview: bool = True, isolated: bool = True) -> BackgroundOp:
        taxonomy = self.ws.taxonomy
        if self.op is not None:
            self.op.cancel()

        def work(progress: ProgressFn, cancel: CancelFn) -> Inventory:
            return read_for_gui(path, taxonomy, progress, cancel, isolated)

        op = BackgroundOp(self._parent, work, translate("Import", "Reading {file}").format(file=path.name))
        op.on_success(lambda inv: self._read(path, inv, preview))
        op.on_failure(lambda msg: self._failed(path, msg))
        self.op = op
        return op.run()

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()

    def _failed(self, path: Path, message: str) -> None:
        self.op = None
        QMessageBox.warning(
            self._parent,
            translate("Import", "Cannot import {file}").format(file=path.name),
            message,
        )

    def _read(self, path: Path, inventory: Inventory, preview: bool) -> None:
        self.op = None
        if not preview:
            self._store(path, inventory, None)
            return
        dialog = ImportPreviewDialog(path, inventory, self.lang(), self._parent)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._decided(path, dialog, result))
        dialog.open()

    def _decided(self, path: Path, dialog: ImportPreviewDialog, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            self._store(path, dialog.inventory, dialog.jump_issue)
        dialog.deleteLater()

    def _store(self, path: Path, inventory: Inventory, jump: DataIssue | None) -> None:
        self.ws.set_inventory(inventory, path.name)
        self.imported.emit(str(path))
        if jump is not None:
            row = inventory_row_for_issue(inventory, jump)
            if row is not None:
                self.jump_requested.emit(row, jump.column or "")
