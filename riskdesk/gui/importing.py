"""Importing a spreadsheet: dry run in a worker, preview dialog, then one undoable import edit.

The file is parsed by riskdesk.io in a separate process (`read_inventory_isolated`), so a malicious
or broken workbook cannot take the window down. Nothing reaches the project until the analyst has
seen the preview (rows read, located problems, assumptions) and pressed Import. Into a project
that already holds chains the analyst chooses: replace the inventory, merge (update matching ids,
add new ones) or start a new project. Every problem of the import stays with the project, with the
choice made about it (the Data problems page, the workbook and the PDF show them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, Lang, Severity
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.gui.ask import ask
from riskdesk.gui.qt import (
    QAbstractItemView,
    QButtonGroup,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QObject,
    QRadioButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace
from riskdesk.io.options import DuplicatePolicy, ImportOptions
from riskdesk.io.preview import ImportPreview, preview_inventory
from riskdesk.session import Change, Session

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


DUPLICATE_CODES = frozenset({"duplicate_chain_id", "duplicate_chain_segment"})


def read_for_gui(
    path: Path,
    taxonomy: Taxonomy,
    progress: ProgressFn,
    cancel: CancelFn,
    isolated: bool = True,
    skip_invalid_rows: bool = False,
    duplicate_ids: DuplicatePolicy | None = None,
) -> ImportPreview:
    """Dry-run a file; `isolated` parses in a child process so a hostile file cannot kill the GUI."""
    options = ImportOptions(skip_invalid_rows=skip_invalid_rows, duplicate_ids=duplicate_ids)
    return preview_inventory(
        path, taxonomy, options, isolated=isolated, progress=progress, cancel=cancel
    )


def issue_message(exc: BaseException, lang: Lang) -> str:
    message = getattr(exc, "message", None)
    if callable(message):
        return str(message(lang))
    return str(exc)


class ImportPreviewDialog(QDialog):
    """Rows read, located problems, assumptions; nothing is stored before Import is pressed."""

    def __init__(self, preview: ImportPreview, lang: Lang, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        path = Path(preview.file)
        self.setWindowTitle(translate("Import", "Import preview — {file}").format(file=path.name))
        self.preview = preview
        self.jump_issue: DataIssue | None = None
        self.issues = [*preview.errors, *preview.warnings, *preview.assumptions]
        summary = named(QLabel(), "importSummary")
        summary.setWordWrap(True)
        detected = ", ".join(
            str(p) for p in (preview.file_kind, preview.encoding, preview.sheet) if p
        )
        summary.setText(
            translate(
                "Import",
                "{ok} rows can be imported; {bad} rows have errors. {errors} errors, {warnings} "
                "warnings, {assumptions} assumptions ({detected}; header on row {header}). "
                "Nothing is stored until you press Import. Double-click a problem to import and go to it.",
            ).format(
                ok=preview.rows_ok,
                bad=len(preview.rows_with_problems),
                errors=len(preview.errors),
                warnings=len(preview.warnings),
                assumptions=len(preview.assumptions),
                detected=detected,
                header=preview.header_row or "?",
            )
        )
        self.table = named(QTableWidget(len(self.issues), 3), "importIssues")
        self.table.setHorizontalHeaderLabels(
            [
                translate("Import", "Kind"),
                translate("Import", "Where"),
                translate("Import", "Problem"),
            ]
        )
        kinds = {
            Severity.ERROR: (translate("Import", "error"), "#f4a3a3"),
            Severity.WARNING: (translate("Import", "warning"), "#fff1b8"),
            Severity.ASSUMPTION: (translate("Import", "assumption"), "#d6e9f8"),
        }
        for r, issue in enumerate(self.issues):
            kind, colour = kinds[issue.severity]
            where = issue.location(lang)
            if issue.value:
                where += f" «{issue.value}»"
            for c, text in enumerate((kind, where, issue.message(lang))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c == 0:
                    item.setBackground(QColor(colour))
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.resizeColumnsToContents()
        self.table.cellDoubleClicked.connect(self._jump)
        self.skip_rows = named(QRadioButton(), "skipInvalidRows")
        self.skip_rows.setText(
            translate(
                "Import", "Leave out the {n} rows with errors (they stay listed as skipped)"
            ).format(n=len(preview.rows_with_problems))
        )
        self.keep_rows = named(QRadioButton(), "keepInvalidRows")
        self.keep_rows.setText(
            translate(
                "Import",
                "Import all rows; cells with errors stay empty (missing) so you can fix them in place",
            )
        )
        # Repeated IDs: the analyst says which rows to keep; nothing is dropped silently.
        self.duplicates = [i for i in preview.errors if i.code in DUPLICATE_CODES]
        self.duplicate_label = named(QLabel(), "duplicateLabel")
        self.duplicate_label.setText(translate(
            "Import", "{n} rows repeat a chain ID used on an earlier row:").format(
                n=len(self.duplicates)))
        self.duplicate_policy = named(QComboBox(), "duplicatePolicy")
        for policy, text in (
            ("keep_first", translate("Import", "keep the first row of each ID, list the others "
                                               "as not imported")),
            ("suffix", translate("Import", "keep every row; import the later ones as ID-2, "
                                           "ID-3 …")),
            ("skip", translate("Import", "leave out every row of a repeated ID")),
        ):
            self.duplicate_policy.addItem(text, policy)
        for widget in (self.duplicate_label, self.duplicate_policy):
            widget.setVisible(bool(self.duplicates))
        self.choice = QButtonGroup(self)
        for button in (self.keep_rows, self.skip_rows):
            button.setVisible(preview.has_errors)
            self.choice.addButton(button)
            button.toggled.connect(self._update)
        buttons = named(QDialogButtonBox(), "importButtons")
        self.import_button = buttons.addButton(
            translate("Import", "Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("confirmImport")
        cancel = buttons.addButton(
            translate("Import", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setObjectName("cancelImport")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.duplicate_label)
        layout.addWidget(self.duplicate_policy)
        layout.addWidget(self.keep_rows)
        layout.addWidget(self.skip_rows)
        layout.addWidget(buttons)
        self.resize(900, 500)
        self._update()

    def chosen_duplicates(self) -> DuplicatePolicy | None:
        """What to do with repeated IDs (None: the file has none)."""
        if not self.duplicates:
            return None
        policy: DuplicatePolicy = self.duplicate_policy.currentData()
        return policy

    def _update(self) -> None:
        # Rows with errors are never dropped silently: importing them away is an explicit choice.
        ok = not self.preview.has_errors or self.skip_rows.isChecked() or self.keep_rows.isChecked()
        self.import_button.setEnabled(ok and self.preview.rows_ok > 0)

    def _jump(self, row: int, _column: int) -> None:
        if self.import_button.isEnabled():
            self.jump_issue = self.issues[row]
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


class ImportModeDialog(QMessageBox):
    """Importing into a project that holds chains: replace, merge or a new project."""

    def __init__(self, parent: QWidget | None, file: str, n_chains: int) -> None:
        super().__init__(parent)
        self.setObjectName("importModeBox")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(translate("Import", "Import {file}").format(file=file))
        self.setText(translate(
            "Import", "This project already holds {n} rows. What should the import do?"
        ).format(n=n_chains))
        self.setInformativeText(translate(
            "Import", "Merge updates chains with the same ID and adds new ones; values you "
                      "entered yourself are kept either way. Any choice can be undone."))
        self.replace = self.addButton(translate("Import", "Replace the inventory"),
                                      QMessageBox.ButtonRole.AcceptRole)
        self.replace.setObjectName("importReplace")
        self.merge = self.addButton(translate("Import", "Merge"),
                                    QMessageBox.ButtonRole.AcceptRole)
        self.merge.setObjectName("importMerge")
        self.new_project = self.addButton(translate("Import", "New project"),
                                          QMessageBox.ButtonRole.AcceptRole)
        self.new_project.setObjectName("importNewProject")
        cancel = self.addButton(translate("Import", "Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("importModeCancel")
        self.setDefaultButton(self.merge)

    def mode(self, clicked: str) -> str | None:
        """The import mode for the object name of the pressed button (None: cancelled)."""
        return {"importReplace": "replace", "importMerge": "merge",
                "importNewProject": "new"}.get(clicked)


def resolved_issues(issues: list[DataIssue], skipped_rows: bool) -> list[DataIssue]:
    """The import's problems with what was done about each (kept with the project)."""
    out = []
    for issue in issues:
        resolved = issue
        if issue.resolution is None and issue.severity == Severity.ERROR:
            resolution = "excluded" if skipped_rows or issue.code == "row_skipped" else (
                "imported_missing")
            resolved = issue.model_copy(update={"resolution": resolution})
        out.append(resolved)
    return out


class ImportFlow(QObject):
    """File → isolated dry run (worker) → preview → import edit. Emits `imported(path)`."""

    imported = Signal(str)
    jump_requested = Signal(int, str)  # inventory row, column header

    def __init__(self, parent: QWidget, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(parent)
        self._parent = parent
        self.ws = workspace
        self.lang = lang_fn
        self.op: BackgroundOp | None = None
        self.dialog: ImportPreviewDialog | None = None
        self.pending_jump: DataIssue | None = None
        self.mode: str | None = None
        self.skipped_rows = False
        self.new_project: Callable[[Callable[[object], None]], object] | None = None

    def start(
        self,
        path: Path,
        preview: bool = True,
        isolated: bool = True,
        skip_invalid_rows: bool = False,
        mode: str | None = None,
        duplicate_ids: DuplicatePolicy | None = None,
    ) -> BackgroundOp:
        self.mode = mode
        self.skipped_rows = skip_invalid_rows
        taxonomy = self.ws.taxonomy
        if self.op is not None:
            self.op.cancel()

        def work(progress: ProgressFn, cancel: CancelFn) -> ImportPreview:
            return read_for_gui(path, taxonomy, progress, cancel, isolated, skip_invalid_rows,
                                duplicate_ids)

        op = BackgroundOp(
            self._parent, work, translate("Import", "Reading {file}").format(file=path.name)
        )
        op.on_success(lambda result: self._read(path, result, preview))
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

    def _read(self, path: Path, result: ImportPreview, preview: bool) -> None:
        self.op = None
        if not preview:
            if result.has_errors and not len(result.inventory):
                self._failed(path, "\n".join(i.message(self.lang()) for i in result.errors[:10]))
                return
            self._store(path, result.inventory, None)
            return
        dialog = ImportPreviewDialog(result, self.lang(), self._parent)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._decided(path, dialog, result))
        dialog.open()

    def _decided(self, path: Path, dialog: ImportPreviewDialog, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            skip = dialog.preview.has_errors and dialog.skip_rows.isChecked()
            duplicates = dialog.chosen_duplicates()
            if skip or duplicates is not None:
                # The analyst chose what to leave out or rename: read again with that choice.
                self.pending_jump = dialog.jump_issue
                self.start(path, preview=False, skip_invalid_rows=skip, mode=self.mode,
                           duplicate_ids=duplicates)
            else:
                self._store(path, dialog.preview.inventory, dialog.jump_issue)
        dialog.deleteLater()

    def _store(self, path: Path, inventory: Inventory, jump: DataIssue | None) -> None:
        jump = jump or self.pending_jump
        self.pending_jump = None
        mode = self.mode
        if mode is None:
            mode = "replace"
            if len(self.ws.inventory):
                box = ImportModeDialog(self._parent, path.name, len(self.ws.inventory))
                chosen = box.mode(ask(box))
                if chosen is None:
                    return
                mode = chosen
        issues = resolved_issues(list(inventory.issues), self.skipped_rows)
        if mode == "new" and self.new_project is not None:
            self.new_project(lambda _session: self._import(path, inventory, issues, "replace",
                                                           jump))
            return
        self._import(path, inventory, issues, "merge" if mode == "merge" else "replace", jump)

    def _import(self, path: Path, inventory: Inventory, issues: list[DataIssue], mode: str,
                jump: DataIssue | None) -> None:
        def work(session: Session, _p: ProgressFn, _c: CancelFn) -> Change:
            summary, change = session.import_inventory(
                inventory, "merge" if mode == "merge" else "replace", issues=issues)
            self.summary = summary
            return change

        def done(_change: object) -> None:
            self.imported.emit(str(path))
            if jump is not None:
                row = inventory_row_for_issue(self.ws.inventory, jump)
                if row is not None:
                    self.jump_requested.emit(row, jump.column or "")

        self.ws.submit(work, parent=self._parent,
                       title=translate("Import", "Importing {file}").format(file=path.name),
                       on_done=done)
