"""Reports page: choose chains, language, PDF, Word and/or Excel, output folder; export in a
worker."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from riskdesk.core.effective import EffectiveRun
from riskdesk.core.models import Lang
from riskdesk.core.progress import CancelFn, ProgressFn, sub_progress
from riskdesk.core.results import AssessmentRun
from riskdesk.gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDesktopServices,
    QEvent,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QShowEvent,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.settings import data_dir
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace

Writer = Callable[..., Any]


def report_writers() -> dict[str, Writer]:
    """The exporters riskdesk.reports provides (PDF, Excel, Word), looked up by format."""
    writers: dict[str, Writer] = {}
    for fmt, candidates in (
        ("pdf", ("riskdesk.reports.pdf", "riskdesk.reports")),
        ("xlsx", ("riskdesk.reports.xlsx", "riskdesk.reports.excel", "riskdesk.reports")),
        ("docx", ("riskdesk.reports.docx_report",)),
    ):
        for module_name in candidates:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            writer = getattr(module, f"write_{fmt}", None)
            if writer is not None:
                writers[fmt] = writer
                break
    return writers


def export_work(
    run: AssessmentRun | EffectiveRun,
    targets: list[tuple[str, Path]],
    options: Any,
    inventory: Any,
    taxonomy: Any,
    changes: Any = None,
) -> Callable[[ProgressFn, CancelFn], list[Path]]:
    """`changes`: the previous round's diff, which the PDF and Word reports summarise."""
    writers = report_writers()

    def work(progress: ProgressFn, cancel: CancelFn) -> list[Path]:
        written = []
        for i, (fmt, path) in enumerate(targets):
            step = sub_progress(progress, i / len(targets), (i + 1) / len(targets))
            since = {"changes": changes} if fmt in ("pdf", "docx") else {}
            written.append(
                Path(
                    writers[fmt](
                        run,
                        path,
                        options,
                        inventory=inventory,
                        taxonomy=taxonomy,
                        progress=step,
                        cancel=cancel,
                        **since,
                    )
                )
            )
        return written

    return work


class ReportsPage(QWidget):
    exported = Signal(list)

    def __init__(
        self, workspace: Workspace, lang_fn: Callable[[], Lang], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self.ws = workspace
        self.lang = lang_fn
        self.op: BackgroundOp | None = None
        self.last_written: list[Path] = []
        self.chains = named(QListWidget(), "reportChains")
        self.chains.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.all_button = named(QPushButton(), "selectAllChains")
        self.none_button = named(QPushButton(), "selectNoChains")
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.language = named(QComboBox(), "reportLanguage")
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.pdf = named(QCheckBox(), "reportPdf")
        self.pdf.setChecked(True)
        self.xlsx = named(QCheckBox(), "reportXlsx")
        self.xlsx.setChecked(True)
        self.docx = named(QCheckBox(), "reportDocx")
        self.docx.setChecked(False)
        self.organisation = named(QLineEdit(), "reportOrganisation")
        self.author = named(QLineEdit(), "reportAuthor")
        self.marking = named(QLineEdit("内部资料"), "reportMarking")
        self.folder = named(QLineEdit(str(data_dir() / "reports")), "reportFolder")
        self.browse = named(QPushButton(), "reportBrowse")
        self.browse.clicked.connect(self._browse)
        self.basename = named(QLineEdit("riskdesk"), "reportBasename")
        self.open_after = named(QCheckBox(), "reportOpenAfter")
        self.open_after.setChecked(False)
        self.export_button = named(QPushButton(), "exportButton")
        self.export_button.clicked.connect(self.export)
        self.cancel_button = named(QPushButton(), "cancelExport")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = named(QProgressBar(), "exportProgress")
        self.progress.setRange(0, 1000)
        self.message = named(QLabel(), "exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = QFormLayout()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.xlsx)
        formats.addWidget(self.docx)
        formats.addStretch(1)
        self._form_rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            ("language", self.language),
            ("formats", formats),
            ("organisation", self.organisation),
            ("author", self.author),
            ("marking", self.marking),
            ("folder", folder_row),
            ("basename", self.basename),
        ]
        self._labels: dict[str, QLabel] = {}
        for key, widget in self._form_rows:
            label = QLabel()
            self._labels[key] = label
            self.form.addRow(label, widget)
        left = QVBoxLayout()
        self.chains_label = QLabel()
        left.addWidget(self.chains_label)
        left.addWidget(self.chains, 1)
        pick = QHBoxLayout()
        pick.addWidget(self.all_button)
        pick.addWidget(self.none_button)
        left.addLayout(pick)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.open_after)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(self.progress)
        right.addWidget(self.message)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        workspace.results_changed.connect(self._results_changed)
        self._stale = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        texts = {
            "language": translate("Reports", "Report language"),
            "formats": translate("Reports", "Formats"),
            "organisation": translate("Reports", "Organisation"),
            "author": translate("Reports", "Author"),
            "marking": translate("Reports", "Classification marking"),
            "folder": translate("Reports", "Output folder"),
            "basename": translate("Reports", "File name"),
        }
        for key, label in self._labels.items():
            label.setText(texts[key])
        self.chains_label.setText(
            translate(
                "Reports", "Chains to include (one chain: a dossier; several: a portfolio report)"
            )
        )
        self.all_button.setText(translate("Reports", "All"))
        self.none_button.setText(translate("Reports", "None"))
        self.pdf.setText(translate("Reports", "PDF dossier"))
        self.xlsx.setText(translate("Reports", "Excel workbook"))
        self.docx.setText(translate("Reports", "Word document (editable)"))
        self.browse.setText(translate("Reports", "Browse…"))
        self.open_after.setText(translate("Reports", "Open the result when done"))
        self.export_button.setText(translate("Reports", "Export"))
        self.cancel_button.setText(translate("Reports", "Cancel"))
        self.language.setCurrentIndex(self.language.findData(self.lang()))
        self._results_changed()

    def _results_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self._load_chains()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._load_chains()
        super().showEvent(event)

    def _load_chains(self) -> None:
        self._stale = False
        checked = self.selected_chains()
        self.chains.clear()
        run = self.ws.run
        if run is None:
            return
        lang = self.lang()
        for result in run.chains:
            outcome = self.ws.effective_outcome(result.key) or result.primary_type
            item = QListWidgetItem(
                f"{result.chain_id}  {result.chain_name} — {self.ws.taxonomy.label(outcome, lang)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, result.chain_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = not checked or result.chain_id in checked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.chains.addItem(item)

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.chains.count()):
            self.chains.item(i).setCheckState(state)

    def check_only(self, chain_ids: set[str]) -> None:
        for i in range(self.chains.count()):
            item = self.chains.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in chain_ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def selected_chains(self) -> list[str]:
        return [
            str(self.chains.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.chains.count())
            if self.chains.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("Reports", "Output folder"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def targets(self) -> list[tuple[str, Path]]:
        folder = Path(self.folder.text()).expanduser()
        base = self.basename.text().strip() or "riskdesk"
        lang = self.language.currentData()
        out = []
        if self.pdf.isChecked():
            out.append(("pdf", folder / f"{base}_{lang}.pdf"))
        if self.xlsx.isChecked():
            out.append(("xlsx", folder / f"{base}_{lang}.xlsx"))
        if self.docx.isChecked():
            out.append(("docx", folder / f"{base}_{lang}.docx"))
        return out

    def export(self) -> BackgroundOp | None:
        # The effective result: the analyst's decisions, reasons and measures reach the files.
        run = self.ws.session.effective_run()
        chains = self.selected_chains()
        targets = self.targets()
        writers = report_writers()
        if run is None or not chains:
            self.message.setText(
                translate("Reports", "Score the inventory and choose at least one chain.")
            )
            return None
        missing = [fmt for fmt, _ in targets if fmt not in writers]
        if not targets or missing:
            self.message.setText(
                translate("Reports", "Choose a format this installation can write.")
            )
            return None
        from riskdesk.reports.options import ReportOptions

        notes = {k[0]: j.note for k, j in self.ws.judgements.items() if j.note and k[0] in chains}
        options = ReportOptions(
            lang=self.language.currentData(),
            organisation=self.organisation.text().strip(),
            author=self.author.text().strip(),
            marking=self.marking.text().strip(),
            chains=chains,
            notes=notes,
        )
        try:
            targets[0][1].parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.setText(str(exc))
            return None
        changes = self.ws.session.previous_round_diff()
        work = export_work(run, targets, options, self.ws.inventory, self.ws.taxonomy, changes)
        op = BackgroundOp(self, work, translate("Reports", "Exporting reports"))
        self.op = op
        op.progressed.connect(self._progress)
        op.on_success(self._done)
        op.on_failure(
            lambda msg: self._stopped(
                translate("Reports", "Export failed: {error}").format(error=msg)
            )
        )
        op.on_cancel(
            lambda: self._stopped(
                translate("Reports", "Export cancelled; no file was left half-written.")
            )
        )
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.message.setText(translate("Reports", "Exporting…"))
        # The page has its own progress bar and Cancel: no extra dialog.
        return op.run(show_dialog=False)

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _finish(self) -> None:
        self.op = None
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, written: list[Path]) -> None:
        self._finish()
        self.progress.setValue(1000)
        self.last_written = written
        self.message.setText(
            translate("Reports", "Written: {files}").format(
                files=", ".join(str(p) for p in written)
            )
        )
        self.exported.emit(written)
        if self.open_after.isChecked():
            for path in written:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _stopped(self, message: str) -> None:
        self._finish()
        self.progress.setValue(0)
        self.message.setText(message)
