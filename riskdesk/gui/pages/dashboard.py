"""Dashboard: distribution by type and level, clickable risk matrix, top risks, radar and trends.

Every chart is a riskdesk.charts Figure — the same ones the PDF report draws.
"""

from __future__ import annotations

from collections.abc import Callable

from riskdesk.charts import distribution_figure, radar_figure, risk_matrix_figure, trend_figure
from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Lang
from riskdesk.core.results import ChainResult
from riskdesk.gui.charts import ChartView, RiskMatrixView
from riskdesk.gui.inventory_model import fmt_score, level_label
from riskdesk.gui.qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QLabel,
    QShowEvent,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.workspace import Workspace

TREND_INDICATORS = ("tc_index", "rca_index")
TOP_N = 10


def flat_results(chains: list[ChainResult]) -> list[ChainResult]:
    """Chain-level results; segmented chains are represented by their roll-up (not each segment)."""
    return list(chains)


class DashboardPage(QWidget):
    chain_clicked = Signal(object)  # ChainKey

    def __init__(
        self, workspace: Workspace, lang_fn: Callable[[], Lang], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.ws = workspace
        self.lang = lang_fn
        self.distribution = ChartView("distributionChart", 220)
        self.matrix = RiskMatrixView()
        self.radar = ChartView("radarChart", 220)
        self.trend = ChartView("trendChart", 180)
        self.top_label = named(QLabel(), "topRiskLabel")
        self.top = named(QTableWidget(0, 4), "topRiskTable")
        self.top.verticalHeader().hide()
        self.top.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.top.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.top.cellClicked.connect(self._top_clicked)
        self.empty = named(QLabel(), "dashboardEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.top.horizontalHeader().setStretchLastSection(True)
        self.diff = named(QTextBrowser(), "roundDiff")
        self.diff.setMaximumHeight(130)
        left = QVBoxLayout()
        left.addWidget(self.distribution, 1)
        left.addWidget(self.top_label)
        left.addWidget(self.top, 1)
        left.addWidget(self.diff)
        right = QVBoxLayout()
        right.addWidget(self.matrix, 3)
        right.addWidget(self.radar, 2)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(columns, 1)
        layout.addWidget(self.trend)
        self.matrix.chain_clicked.connect(self._matrix_clicked)
        workspace.results_changed.connect(self.reload)
        workspace.decisions_changed.connect(self.reload)
        workspace.chain_selected.connect(self.show_chain)
        self._top_keys: list[ChainKey] = []
        self._dirty = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.empty.setText(
            translate("Dashboard", "No results yet: import an inventory and score it (F5).")
        )
        self.top_label.setText(translate("Dashboard", "Top-risk chains (click to select)"))
        self.top.setHorizontalHeaderLabels(
            [
                translate("Dashboard", "Chain"),
                translate("Dashboard", "Classification"),
                translate("Dashboard", "Score"),
                translate("Dashboard", "Risk level"),
            ]
        )
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self._render()
        super().showEvent(event)

    def reload(self) -> None:
        """Charts are drawn when the page is visible (drawing hidden charts wastes the UI thread)."""
        self._dirty = True
        if self.isVisible():
            self._render()

    def _render(self) -> None:
        self._dirty = False
        # The decided run: charts and lists show the verdict the analyst stands behind.
        effective = self.ws.session.effective_run()
        run = None if effective is None else effective.decided_run()
        tax, lang = self.ws.taxonomy, self.lang()
        has = run is not None and bool(run.chains)
        self.empty.setVisible(not has)
        for w in (self.distribution, self.matrix, self.radar, self.trend, self.top, self.top_label):
            w.setVisible(has)
        if run is None or not run.chains:
            return
        results = flat_results(run.chains)
        self.distribution.show_figure(distribution_figure(results, tax, lang))
        self.matrix.set_points(results)
        self.matrix.show_figure(risk_matrix_figure(results, tax, lang))
        ranked = sorted(
            (r for r in results if r.primary_score is not None),
            key=lambda r: (-(r.primary_score or 0.0), r.chain_id),
        )[:TOP_N]
        self._top_keys = [r.key for r in ranked]
        self.top.setRowCount(len(ranked))
        for i, r in enumerate(ranked):
            outcome = self.ws.effective_outcome(r.key) or r.primary_type
            level = r.primary_level
            cells = [
                r.chain_name,
                tax.label(outcome, lang),
                fmt_score(r.primary_score),
                level_label(level) if level else "—",
            ]
            for c, text in enumerate(cells):
                self.top.setItem(i, c, QTableWidgetItem(text))
        self.top.resizeColumnsToContents()
        self._show_diff()
        selected = self.ws.selected
        first = ranked[0].key if ranked else results[0].key
        self.show_chain(selected if selected is not None else first)

    def _show_diff(self) -> None:
        diff = self.ws.session.previous_round_diff()
        self.diff.setVisible(diff is not None)
        if diff is not None:
            self.diff.setPlainText("\n".join(diff.lines(self.lang())))

    def show_chain(self, key: ChainKey | None) -> None:
        if key is None or self.ws.run is None or not self.isVisible():
            return
        result = self.ws.result(key)
        if result is None:
            return
        tax, lang = self.ws.taxonomy, self.lang()
        self.radar.show_figure(radar_figure(result, tax, lang))
        series = self._series(key)
        self.trend.setVisible(bool(series))
        if series:
            self.trend.show_figure(trend_figure(series, tax, lang))

    def _series(self, key: ChainKey) -> dict[str, list]:  # type: ignore[type-arg]
        inv = self.ws.inventory
        out = {}
        for indicator in TREND_INDICATORS:
            points = inv.series.get((key[0], key[1], indicator))
            if points is None and key[1] is not None:
                points = inv.series.get((key[0], None, indicator))
            if points:
                out[indicator] = points
        return out

    def _matrix_clicked(self, key: ChainKey) -> None:
        self.chain_clicked.emit(key)
        self.show_chain(key)

    def _top_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._top_keys):
            self.chain_clicked.emit(self._top_keys[row])
            self.show_chain(self._top_keys[row])
