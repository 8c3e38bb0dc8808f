"""Scenarios page: a scenario library (the bundled one or a file), run over the current data in
the background, shown as a chains × scenarios heat map; a cell opens that chain's before/after.

The run works on a snapshot of the session (inventory copy, taxonomy, country list), assessed
again without robustness and put through `run_scenarios` — the same path as `riskdesk scenario`.
Nothing here changes the session. Reading a library and running it both go through BackgroundOp;
a library with problems shows every located problem and leaves the loaded one in place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from riskdesk.core.models import DataIssue, Lang
from riskdesk.core.paths import TAXONOMY_DIR
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report, sub_progress
from riskdesk.core.scenarios import Scenario, ScenarioLibrary
from riskdesk.gui.pages.scenario_detail import (
    FramedSelection,
    HeatMapModel,
    OutcomePanel,
    ScenarioView,
    ShareLegend,
    kind_label,
)
from riskdesk.gui.qt import (
    QAbstractItemView,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QShowEvent,
    QSplitter,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    named,
    translate,
)
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace
from riskdesk.session import Session

BUNDLED_LIBRARY = TAXONOMY_DIR / "scenarios.toml"
PROBLEM_COLUMNS = 5  # file, scenario, key, value, message


def read_library(path: Path) -> ScenarioLibrary | list[DataIssue]:
    """The library, or its located problems (returned, not raised: the worker would keep only
    the message of an exception)."""
    from riskdesk.io.scenarios import ScenarioFileError, read_scenario_library

    try:
        return read_scenario_library(path)
    except ScenarioFileError as exc:
        return exc.issues


def scenario_work(
    session: Session, library: ScenarioLibrary
) -> Callable[[ProgressFn, CancelFn], ScenarioView]:
    """Assess a snapshot of the session and run the library over it (in the worker)."""

    def work(progress: ProgressFn, cancel: CancelFn) -> ScenarioView:
        from riskdesk.core.assess import assess_portfolio
        from riskdesk.core.scenario_run import run_scenarios

        checkpoint(cancel)
        _generation, inventory, taxonomy, risk = session.robustness_work()  # copies
        portfolio = assess_portfolio(
            inventory, taxonomy, country=session.country, country_risk=risk, robustness=False,
            progress=sub_progress(progress, 0.0, 0.3), cancel=cancel,
        )  # fmt: skip
        run = run_scenarios(portfolio, library, country_risk=risk,
                            progress=sub_progress(progress, 0.3, 0.8), cancel=cancel)
        groups = portfolio.groups
        frame = portfolio.inventory.frame
        strategy_of = {t.id.value: t.strategy for t in taxonomy.types}
        chain_names: list[object] = (
            frame["chain_name"].tolist() if "chain_name" in frame.columns else [])
        names, base_type, base_strategy, blocks = [], [], [], []
        n = len(groups.chain_ids)
        for g in range(n):
            if g % 50 == 0:
                checkpoint(cancel)
                report(progress, 0.8 + 0.2 * g / max(n, 1), "")
            first_row = int(groups.order[groups.starts[g]])
            name = chain_names[first_row] if chain_names else None
            names.append(name.strip() if isinstance(name, str) else "")
            outcome = run.baseline_outcome(g).value
            base_type.append(outcome)
            base_strategy.append(strategy_of.get(outcome, "monitor"))
            blocks.append(run.chain_block(g))
        checkpoint(cancel)
        report(progress, 1.0, "")
        return ScenarioView(
            scenarios=library.scenarios, library_source=library.source,
            chain_ids=list(groups.chain_ids), chain_names=names, baseline_type=base_type,
            baseline_strategy=base_strategy, blocks=blocks,
        )  # fmt: skip

    return work


class ScenariosPage(QWidget):
    def __init__(
        self, workspace: Workspace, lang_fn: Callable[[], Lang], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scenariosPage")
        self.ws = workspace
        self.lang = lang_fn
        self.library: ScenarioLibrary | None = None
        self.problems: list[DataIssue] = []
        self.problem_file: str | None = None
        self.view: ScenarioView | None = None
        self.stale = False
        self.load_op: BackgroundOp | None = None
        self.op: BackgroundOp | None = None
        self._status: Callable[[], str] = lambda: ""
        self._after_load: list[Callable[[], None]] = []  # run once the library op has reported
        self._after_run: list[Callable[[], None]] = []
        self._run_session: Session | None = None

        self.library_label = named(QLabel(), "libraryLabel")
        self.library_label.setWordWrap(True)
        self.open_button = named(QPushButton(), "openLibrary")
        self.open_button.clicked.connect(self._open_dialog)
        self.bundled_button = named(QPushButton(), "bundledLibrary")
        self.bundled_button.clicked.connect(lambda: self.load_library(BUNDLED_LIBRARY))
        self.problem_label = named(QLabel(), "libraryProblemsLabel")
        self.problem_label.setWordWrap(True)
        self.problem_table = named(QTableWidget(0, PROBLEM_COLUMNS), "libraryProblems")
        self.problem_table.verticalHeader().hide()
        self.problem_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_table.horizontalHeader().setStretchLastSection(True)
        self.problem_table.setMaximumHeight(150)
        self.scenario_table = named(QTableWidget(0, 5), "scenarioList")
        self.scenario_table.verticalHeader().hide()
        self.scenario_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scenario_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.scenario_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.scenario_table.setMaximumHeight(170)
        self.all_button = named(QPushButton(), "checkAllScenarios")
        self.none_button = named(QPushButton(), "checkNoScenarios")
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.run_button = named(QPushButton(), "runScenarios")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = named(QPushButton(), "cancelScenarios")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = named(QProgressBar(), "scenarioProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.message = named(QLabel(), "scenarioMessage")
        self.message.setWordWrap(True)
        self.heat_model = HeatMapModel(lambda: self.ws.taxonomy, self.lang, self)
        self.heat_map = named(QTableView(), "scenarioHeatMap")
        self.heat_map.setModel(self.heat_model)
        self.heat_map.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.heat_map.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.heat_map.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heat_map.horizontalHeader().setMinimumSectionSize(90)
        self.heat_map.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.heat_map.clicked.connect(lambda index: self.show_cell(index.row(), index.column()))
        self.heat_map.setItemDelegate(FramedSelection(self.heat_map))
        self.heat_label = named(QLabel(), "heatMapLabel")
        self.legend = ShareLegend()
        self.detail = OutcomePanel(lambda: self.ws.taxonomy, self.lang)

        top = QHBoxLayout()
        top.addWidget(self.library_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.bundled_button)
        controls = QHBoxLayout()
        for button in (self.all_button, self.none_button, self.run_button, self.cancel_button):
            controls.addWidget(button)
        controls.addWidget(self.progress)
        controls.addWidget(self.message, 1)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.heat_label)
        centre_layout.addWidget(self.heat_map, 1)
        centre_layout.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([650, 390])  # the side panel wide enough for English labels
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.problem_table)
        layout.addWidget(self.scenario_table)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)
        self._show_problems()
        workspace.results_changed.connect(self._data_changed)
        workspace.session_changed.connect(self._session_changed)

    # --- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.open_button.setText(translate("Scenarios", "Open library…"))
        self.bundled_button.setText(translate("Scenarios", "Bundled library"))
        self.all_button.setText(translate("Scenarios", "All"))
        self.none_button.setText(translate("Scenarios", "None"))
        self.run_button.setText(translate("Scenarios", "Run"))
        self.cancel_button.setText(translate("Scenarios", "Cancel"))
        self.scenario_table.setHorizontalHeaderLabels([
            translate("Scenarios", "Scenario"), translate("Scenarios", "Name"),
            translate("Scenarios", "Kind"), translate("Scenarios", "Duration"),
            translate("Scenarios", "Probability / year"),
        ])  # fmt: skip
        self.problem_table.setHorizontalHeaderLabels([
            translate("Scenarios", "File"), translate("Scenarios", "Scenario"),
            translate("Scenarios", "Key"), translate("Scenarios", "Value"),
            translate("Scenarios", "Problem"),
        ])  # fmt: skip
        self.heat_label.setText(translate(
            "Scenarios", "Chains × scenarios: colour = unmet share of demand during the scenario, "
            "text = classification under the shock"))  # fmt: skip
        self.legend.retranslate()
        self.detail.retranslate()
        self._show_library()
        self._show_problems()
        self._render()
        self.message.setText(self._status())

    def _say(self, status: Callable[[], str]) -> None:
        """Status text kept as a function, so a language switch words it again."""
        self._status = status
        self.message.setText(status())

    # --- the library ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if self.library is None and self.load_op is None and not self.problems:
            self.load_library(BUNDLED_LIBRARY)
        super().showEvent(event)

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("Scenarios", "Open scenario library"), str(TAXONOMY_DIR),
            translate("Scenarios", "Scenario libraries") + " (*.toml)",
        )  # fmt: skip
        if path:
            self.load_library(Path(path))

    def load_library(self, path: Path) -> BackgroundOp:
        """Read a library in the worker; problems are shown and the current library stays."""
        op = BackgroundOp(self, lambda _p, _c: read_library(path),
                          translate("Scenarios", "Reading scenario library"))  # fmt: skip
        self.load_op = op

        def done(result: object) -> None:
            if isinstance(result, ScenarioLibrary):
                self.library, self.problems, self.problem_file = result, [], None
                self._show_library()
            else:
                assert isinstance(result, list)
                self.problems, self.problem_file = result, str(path)
            self._show_problems()
            self._loaded()

        def failed(message: str) -> None:
            self._say(lambda: translate("Scenarios", "The library could not be read: {error}")
                      .format(error=message))  # fmt: skip
            self._loaded()

        op.on_success(done)
        op.on_failure(failed)
        op.on_cancel(self._loaded)
        return op.run(show_dialog=False)

    def _loaded(self) -> None:
        self.load_op = None
        hooks, self._after_load = self._after_load, []
        for hook in hooks:
            hook()

    def _show_library(self) -> None:
        lib = self.library
        if lib is None:
            self.library_label.setText(translate("Scenarios", "No scenario library loaded."))
            self.scenario_table.setRowCount(0)
            return
        source = Path(lib.source).name if lib.source else "—"
        self.library_label.setText(
            translate("Scenarios", "Library {file} · {n} scenarios · sha256 {sha}").format(
                file=source, n=len(lib.scenarios), sha=lib.sha256[:12])
        )  # fmt: skip
        self.library_label.setToolTip(lib.source or "")
        checked = set(self.checked_ids()) if self.scenario_table.rowCount() else None
        known = {self._row_id(r) for r in range(self.scenario_table.rowCount())}
        self.scenario_table.setRowCount(len(lib.scenarios))
        for r, sc in enumerate(lib.scenarios):
            on = checked is None or sc.id in checked or sc.id not in known
            self._fill_scenario_row(r, sc, on)
        self.scenario_table.resizeColumnsToContents()
        self.scenario_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)

    def _fill_scenario_row(self, r: int, sc: Scenario, on: bool) -> None:
        probability = "—" if sc.probability is None else f"{sc.probability:g}"
        duration = translate("Scenarios", "{days} d").format(days=f"{sc.duration_days:g}")
        for c, text in enumerate((sc.id, sc.name, kind_label(sc.kind), duration, probability)):
            item = QTableWidgetItem(text)
            if c == 0:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, sc.id)
            if c == 1:
                item.setToolTip(sc.name)
            self.scenario_table.setItem(r, c, item)

    def _row_id(self, row: int) -> str:
        item = self.scenario_table.item(row, 0)
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def checked_ids(self) -> list[str]:
        out = []
        for r in range(self.scenario_table.rowCount()):
            item = self.scenario_table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for r in range(self.scenario_table.rowCount()):
            item = self.scenario_table.item(r, 0)
            if item is not None:
                item.setCheckState(state)

    def _show_problems(self) -> None:
        issues = self.problems
        self.problem_label.setVisible(bool(issues))
        self.problem_table.setVisible(bool(issues))
        if not issues:
            return
        lang = self.lang()
        kept = (translate("Scenarios", "The library loaded before is kept.") if self.library
                else translate("Scenarios", "No library is loaded."))  # fmt: skip
        self.problem_label.setText(
            translate("Scenarios", "{file} cannot be used: {n} problem(s). {kept}").format(
                file=Path(self.problem_file or "").name, n=len(issues), kept=kept)
        )  # fmt: skip
        self.problem_table.setRowCount(len(issues))
        for r, issue in enumerate(issues):
            cells = (Path(issue.file).name if issue.file else "", issue.sheet or "",
                     issue.column or "", issue.value or "", issue.message(lang))  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setToolTip(f"{issue.location(lang)}: {issue.message(lang)}")
                self.problem_table.setItem(r, c, item)
        self.problem_table.resizeColumnsToContents()

    # --- running ------------------------------------------------------------------------------

    def run(self) -> BackgroundOp | None:
        if self.op is not None:
            return None
        lib = self.library
        chosen = self.checked_ids()
        if lib is None or not chosen:
            self._say(lambda: translate("Scenarios", "Load a library and check at least one "
                                                     "scenario."))  # fmt: skip
            return None
        if not len(self.ws.inventory):
            self._say(lambda: translate("Scenarios", "Import an inventory first."))
            return None
        subset = lib.model_copy(
            update={"scenarios": tuple(s for s in lib.scenarios if s.id in set(chosen))}
        )
        session = self.ws.session
        op = BackgroundOp(self, scenario_work(session, subset),
                          translate("Scenarios", "Running scenarios"))  # fmt: skip
        self.op = op
        self._run_session = session
        op.progressed.connect(lambda f, _m: self.progress.setValue(int(f * 1000)))
        op.on_success(self._done)
        op.on_failure(lambda msg: self._stopped(
            lambda: translate("Scenarios", "The run failed: {error}").format(error=msg)))
        op.on_cancel(lambda: self._stopped(
            lambda: translate("Scenarios", "Run cancelled; the results shown before are kept.")))
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        n = len(subset.scenarios)
        self._say(lambda: translate("Scenarios", "Running {n} scenario(s)…").format(n=n))
        # the page has its own progress bar and Cancel: no dialog
        return op.run(show_dialog=False)

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()

    def _finish(self) -> None:
        self.op = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _ran(self) -> None:
        hooks, self._after_run = self._after_run, []
        for hook in hooks:
            hook()

    def _stopped(self, status: Callable[[], str]) -> None:
        self._finish()
        self.progress.setValue(0)
        self._say(status)
        self._ran()

    def _done(self, view: object) -> None:
        assert isinstance(view, ScenarioView)
        self._finish()
        if self._run_session is not self.ws.session:  # another project was opened meanwhile
            self._stopped(lambda: "")
            return
        self.progress.setValue(1000)
        self.view, self.stale = view, False
        self.detail.clear()
        self._render()
        chains, scenarios = len(view.chain_ids), len(view.scenarios)
        self._say(lambda: translate("Scenarios", "{chains} chains × {scenarios} scenarios.")
                  .format(chains=chains, scenarios=scenarios))  # fmt: skip
        self._ran()

    def _data_changed(self) -> None:
        if self.view is not None and not self.stale:
            self.stale = True
            self._say(lambda: translate(
                "Scenarios", "The data changed after this run: run again to update the map."))

    def _session_changed(self) -> None:
        self.view, self.stale = None, False
        self.detail.clear()
        self._render()
        self._say(lambda: "")

    # --- the heat map -------------------------------------------------------------------------

    def _render(self) -> None:
        self.heat_model.set_view(self.view)
        if self.detail.shown is not None:
            self.detail.show_outcome(*self.detail.shown)

    def cell_of(self, chain_id: str, scenario_id: str) -> tuple[int, int]:
        assert self.view is not None
        return (self.view.chain_ids.index(chain_id),
                [s.id for s in self.view.scenarios].index(scenario_id))  # fmt: skip

    def show_cell(self, row: int, column: int) -> None:
        if self.view is None or not (0 <= row < len(self.view.chain_ids)):
            return
        if 0 <= column < len(self.view.scenarios):
            self.detail.show_outcome(self.view, row, column)

    def prepare_screenshot(self) -> None:
        """For docs: the bundled library run, the worst cell opened."""

        def opened() -> None:
            view = self.view
            if view is None:
                return
            cells = [(o.unmet_share or 0.0, r, c) for r in range(len(view.chain_ids))
                     for c in range(len(view.scenarios)) if (o := view.outcome(r, c))]
            _share, r, c = max(cells)
            self.heat_map.setCurrentIndex(self.heat_model.index(r, c))
            self.show_cell(r, c)

        def loaded() -> None:
            if self.run() is not None:
                self._after_run.append(opened)

        if self.load_op is None and self.library is None:
            self.load_library(BUNDLED_LIBRARY)
        if self.load_op is not None:
            self._after_load.append(loaded)
        else:
            loaded()
