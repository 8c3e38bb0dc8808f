"""Embedding riskdesk.charts Figures (the same ones the reports use) in Qt widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from riskdesk.core.inventory import ChainKey
from riskdesk.core.results import ChainResult
from riskdesk.gui.qt import QSize, QVBoxLayout, QWidget, Signal

FigureFactory = Callable[[], Figure]


class ChartView(QWidget):
    """Shows one Figure; swapping in a new Figure replaces the canvas (figures are immutable here)."""

    def __init__(
        self, object_name: str, min_height: int = 220, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMinimumHeight(min_height)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.canvas: FigureCanvasQTAgg | None = None
        self.figure: Figure | None = None

    def show_figure(self, figure: Figure) -> None:
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]
        self.canvas.setMinimumSize(QSize(200, 150))
        self._layout.addWidget(self.canvas)
        self._connect(self.canvas)
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def _connect(self, canvas: FigureCanvasQTAgg) -> None:
        """Subclasses hook matplotlib events here."""


class RiskMatrixView(ChartView):
    """The risk matrix with clickable points: a click selects the nearest chain."""

    chain_clicked = Signal(object)  # ChainKey

    PICK_RADIUS_PX = 12.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("riskMatrix", 300, parent)
        self.points: list[tuple[ChainKey, float, float]] = []

    def set_points(self, results: Sequence[ChainResult]) -> None:
        self.points = [
            ((r.chain_id, r.segment), float(r.gap), float(r.exposure))
            for r in results
            if r.gap is not None and r.exposure is not None
        ]

    def _connect(self, canvas: FigureCanvasQTAgg) -> None:
        canvas.mpl_connect("button_press_event", self._clicked)

    def key_at(self, x_px: float, y_px: float) -> ChainKey | None:
        """The chain nearest to a display-coordinate point, within the pick radius."""
        if self.figure is None or not self.figure.axes or not self.points:
            return None
        ax = self.figure.axes[0]
        best: tuple[float, ChainKey] | None = None
        for key, gap, exposure in self.points:
            px, py = ax.transData.transform((gap, exposure))
            distance = ((px - x_px) ** 2 + (py - y_px) ** 2) ** 0.5
            if distance <= self.PICK_RADIUS_PX and (best is None or distance < best[0]):
                best = (distance, key)
        return None if best is None else best[1]

    def display_point(self, key: ChainKey) -> tuple[float, float] | None:
        if self.figure is None or not self.figure.axes:
            return None
        for k, gap, exposure in self.points:
            if k == key:
                px, py = self.figure.axes[0].transData.transform((gap, exposure))
                return float(px), float(py)
        return None

    def _clicked(self, event: MouseEvent) -> None:
        if event.x is None or event.y is None:
            return
        key = self.key_at(event.x, event.y)
        if key is not None:
            self.chain_clicked.emit(key)
