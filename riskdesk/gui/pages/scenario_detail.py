"""Pieces of the Scenarios page that show one run: the heat-map colour scale, cell texts and the
side panel with one chain's before/after under one scenario.

The colour is the unmet share on ColorBrewer's YlOrRd (sequential, colour-blind safe): pale at
no shortfall, dark red from `SHARE_AT_DARKEST` up. Cell texts use short names of the outcomes
(the taxonomy's full labels are in the tooltip and the side panel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from riskdesk.core.models import Lang
from riskdesk.core.scenario_run import NOTES, ScenarioOutcome
from riskdesk.core.scenarios import Scenario
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.gui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QColor,
    QFont,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QPainter,
    QPen,
    QPersistentModelIndex,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    named,
    translate,
)

# ColorBrewer YlOrRd, 9 classes (colour-blind safe, prints in grey as a ramp)
YLORRD = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c",
          "#fc4e2a", "#e31a1c", "#bd0026", "#800026")  # fmt: skip
SHARE_AT_DARKEST = 0.5
NOT_AVAILABLE_COLOUR = "#d9d9d9"
NOT_APPLIED_COLOUR = "#ffffff"
WORSENED = "▲"


@dataclass(frozen=True)
class ScenarioView:
    """What the page shows of one run (built in the worker, read on the UI thread)."""

    scenarios: tuple[Scenario, ...]
    library_source: str | None
    chain_ids: list[str]
    chain_names: list[str]
    baseline_type: list[str]  # outcome id per chain
    baseline_strategy: list[str]
    blocks: list[dict[str, ScenarioOutcome]]  # per chain: scenario id → outcome

    def outcome(self, row: int, column: int) -> ScenarioOutcome:
        return self.blocks[row][self.scenarios[column].id]


def share_colour(share: float) -> QColor:
    """The scale's colour for an unmet share (0 … SHARE_AT_DARKEST and above)."""
    x = min(max(share / SHARE_AT_DARKEST, 0.0), 1.0) * (len(YLORRD) - 1)
    i = min(int(x), len(YLORRD) - 2)
    a, b, t = QColor(YLORRD[i]), QColor(YLORRD[i + 1]), x - i
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def text_colour(background: QColor) -> QColor:
    """Black on light cells, white on dark ones (relative luminance)."""
    lum = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF()
    return QColor("#000000") if lum > 0.45 else QColor("#ffffff")


def short_outcome(outcome: str) -> str:
    return {
        "missing": translate("Scenarios", "Missing"),
        "destroyed": translate("Scenarios", "Destroyed"),
        "response": translate("Scenarios", "Response"),
        "normal_dependence": translate("Scenarios", "Normal"),
        "monitor": translate("Scenarios", "Monitor"),
        "insufficient_evidence": translate("Scenarios", "No evidence"),
    }.get(outcome, outcome)


def kind_label(kind: str) -> str:
    return {
        "partner_cutoff": translate("Scenarios", "Partner cut-off"),
        "export_ban": translate("Scenarios", "Export ban"),
        "logistics_block": translate("Scenarios", "Logistics block"),
        "rating_shock": translate("Scenarios", "Rating shock"),
        "demand_surge": translate("Scenarios", "Demand surge"),
        "plant_outage": translate("Scenarios", "Plant outage"),
    }.get(kind, kind)


def fmt_days(days: float | None) -> str:
    if days is None:
        return "—"
    return translate("Scenarios", "{days} d").format(days=f"{days:.2f}")


def fmt_share(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.2f} %"


def fmt_number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def notes_text(outcome: ScenarioOutcome, lang: Lang) -> str:
    """The engine's notes in the UI language (its own zh/en catalogue)."""
    pick = 0 if lang == "zh" else 1
    return "\n".join(NOTES[c][pick] if c in NOTES else c for c in outcome.note_codes)


def cell_text(o: ScenarioOutcome) -> str:
    """Shocked type (short), ▲ where the priority worsens, (n/a) where the share is unknown."""
    if not o.applies:
        return "—"
    short = short_outcome(o.primary_type.value) + (f" {WORSENED}" if o.worsened else "")
    if o.unmet_share is None:  # the shocked type is still the engine's word on the chain
        return translate("Scenarios", "{type} (n/a)").format(type=short)
    return short


def cell_colour(o: ScenarioOutcome) -> QColor:
    if not o.applies:
        return QColor(NOT_APPLIED_COLOUR)
    if o.unmet_share is None:
        return QColor(NOT_AVAILABLE_COLOUR)
    return share_colour(o.unmet_share)


def cell_tooltip(view: ScenarioView, row: int, column: int, taxonomy: Taxonomy,
                 lang: Lang) -> str:
    o = view.outcome(row, column)
    head = f"{view.chain_ids[row]} × {view.scenarios[column].id}"
    if not o.applies:
        return f"{head}\n{notes_text(o, lang)}"
    label = taxonomy.label(o.primary_type.value, lang)
    shocked = translate("Scenarios", "Shocked classification: {type}").format(type=label)
    if o.unmet_share is None:
        why = translate("Scenarios", "Unmet share not available: {reason}").format(
            reason=notes_text(o, lang) or "—")
        return f"{head}\n{why}\n{shocked}"
    lines = [
        head,
        translate("Scenarios", "Unmet share: {share}").format(share=fmt_share(o.unmet_share)),
        translate("Scenarios", "Time to survive: {days}").format(days=fmt_days(o.tts_days)),
        shocked,
    ]
    if o.worsened:
        lines.append(translate("Scenarios", "▲ the chain's priority worsens under this scenario"))
    return "\n".join(lines)


class HeatMapModel(QAbstractTableModel):
    """Chains × scenarios of one run. Cells are worded when the view asks for them (only the
    visible ones), so a 1,000 × 50 map appears at once instead of building 50,000 items on the
    UI thread; texts and colours are kept until the language or the run changes."""

    SHARE_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, taxonomy: Callable[[], Taxonomy], lang: Callable[[], Lang],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taxonomy = taxonomy
        self.lang = lang
        self.view: ScenarioView | None = None
        self._cells: dict[tuple[int, int], tuple[str, QColor, QColor]] = {}

    def set_view(self, view: ScenarioView | None) -> None:
        self.beginResetModel()
        self.view = view
        self._cells.clear()
        self.endResetModel()

    def relabel(self) -> None:
        """The language changed: word every cell again."""
        self.set_view(self.view)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if self.view is None or (parent is not None and parent.isValid()) else len(
            self.view.chain_ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if self.view is None or (parent is not None and parent.isValid()) else len(
            self.view.scenarios)

    def _cell(self, row: int, column: int) -> tuple[str, QColor, QColor]:
        got = self._cells.get((row, column))
        if got is None:
            assert self.view is not None
            o = self.view.outcome(row, column)
            background = cell_colour(o)
            got = (cell_text(o), background, text_colour(background))
            self._cells[(row, column)] = got
        return got

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        view = self.view
        if view is None or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(r, c)[0]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._cell(r, c)[1]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._cell(r, c)[2]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(view, r, c, self.taxonomy(), self.lang())
        if role == self.SHARE_ROLE:
            return view.outcome(r, c).unmet_share
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        view = self.view
        if view is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(view.scenarios):
            sc = view.scenarios[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return sc.id
            if role == Qt.ItemDataRole.ToolTipRole:
                days = translate("Scenarios", "{days} d").format(days=f"{sc.duration_days:g}")
                return f"{sc.name}\n{kind_label(sc.kind)} · {days}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(view.chain_ids):
            if role == Qt.ItemDataRole.DisplayRole:
                return view.chain_ids[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return view.chain_names[section]
        return None


class FramedSelection(QStyledItemDelegate):
    """The chosen heat-map cell keeps its colour (the colour is the information) and gets a
    frame instead of the selection fill."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        plain.state &= ~QStyle.StateFlag.State_HasFocus
        super().paint(painter, plain, index)
        if selected:
            painter.save()
            painter.setPen(QPen(QColor("#08306b"), 3))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()


class ShareLegend(QWidget):
    """The colour scale under the heat map: swatches from 0 % to SHARE_AT_DARKEST, n/a, ▲."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioLegend")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.title = named(QLabel(), "legendTitle")
        row.addWidget(self.title)
        steps = 5
        for k in range(steps + 1):
            share = SHARE_AT_DARKEST * k / steps
            colour = share_colour(share)
            text = f"{share * 100:.0f} %" if k < steps else f"≥ {share * 100:.0f} %"
            row.addWidget(self._swatch(text, colour))
        self.not_available = self._swatch("n/a", QColor(NOT_AVAILABLE_COLOUR))
        row.addWidget(self.not_available)
        self.worse = named(QLabel(), "legendWorse")
        row.addWidget(self.worse)
        row.addStretch(1)

    @staticmethod
    def _swatch(text: str, colour: QColor) -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMinimumWidth(52)
        label.setStyleSheet(
            f"background:{colour.name()}; color:{text_colour(colour).name()};"
            " border:1px solid #999; padding:1px 4px;"
        )
        return label

    def retranslate(self) -> None:
        self.title.setText(translate("Scenarios", "Unmet share:"))
        self.not_available.setText(translate("Scenarios", "n/a"))
        self.worse.setText(translate("Scenarios", "▲ priority worsens"))


class OutcomePanel(QGroupBox):
    """One chain under one scenario: type and strategy before → after, TTS, TTR, unmet demand,
    and the indicator changes (drivers) in a small table."""

    FIELDS = ("type", "strategy", "tts", "ttr", "unmet", "share", "expected")

    def __init__(self, taxonomy: Callable[[], Taxonomy], lang: Callable[[], Lang],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioDetail")
        self.taxonomy = taxonomy
        self.lang = lang
        self.heading = named(QLabel(), "detailTitle")
        self.heading.setWordWrap(True)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for key in self.FIELDS:
            name, value = QLabel(), named(QLabel(), f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.names[key], self.values[key] = name, value
            self.form.addRow(name, value)
        self.drivers_label = QLabel()
        self.drivers = named(QTableWidget(0, 4), "driversTable")
        self.drivers.verticalHeader().hide()
        self.drivers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.drivers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.drivers.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.notes = named(QLabel(), "detailNotes")
        self.notes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.drivers_label)
        layout.addWidget(self.drivers, 1)
        layout.addWidget(self.notes)
        self.shown: tuple[ScenarioView, int, int] | None = None
        self.clear()

    def retranslate(self) -> None:
        self.setTitle(translate("Scenarios", "Before → after"))
        names = {
            "type": translate("Scenarios", "Classification"),
            "strategy": translate("Scenarios", "Strategy"),
            "tts": translate("Scenarios", "Time to survive (TTS)"),
            "ttr": translate("Scenarios", "Time to recover (TTR)"),
            "unmet": translate("Scenarios", "Unmet demand"),
            "share": translate("Scenarios", "Unmet share"),
            "expected": translate("Scenarios", "Expected unmet per year"),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        self.drivers_label.setText(translate("Scenarios", "Indicator changes (drivers)"))
        self.drivers.setHorizontalHeaderLabels([
            translate("Scenarios", "Indicator"), translate("Scenarios", "Before"),
            translate("Scenarios", "After"), translate("Scenarios", "Change"),
        ])  # fmt: skip
        if self.shown is None:
            self.clear()
        else:
            self.show_outcome(*self.shown)

    def clear(self) -> None:
        self.shown = None
        self.heading.setText(
            translate("Scenarios", "Click a cell of the heat map to see that chain before and "
                                   "after the scenario.")
        )  # fmt: skip
        for value in self.values.values():
            value.setText("—")
        self.drivers.setRowCount(0)
        self.notes.setText("")

    def show_outcome(self, view: ScenarioView, row: int, column: int) -> None:
        self.shown = (view, row, column)
        tax, lang = self.taxonomy(), self.lang()
        o = view.outcome(row, column)
        scenario = view.scenarios[column]
        segment = ("" if not o.segment else "  " + translate(
            "Scenarios", "(verdict from segment {segment})").format(segment=o.segment))
        self.heading.setText(f"{view.chain_ids[row]} {view.chain_names[row]}{segment}\n"
                             f"× {scenario.id} {scenario.name}".strip())  # fmt: skip
        before_type = tax.label(view.baseline_type[row], lang)
        after_type = tax.label(o.primary_type.value, lang)
        notes = [translate("Scenarios", "▲ priority worsens")] if o.worsened else []
        if not o.changed:
            notes.append(translate("Scenarios", "(type unchanged)"))
        v = self.values
        v["type"].setText("\n".join([f"{before_type} → {after_type}", " ".join(notes)]).strip())
        v["strategy"].setText(
            f"{tax.label(view.baseline_strategy[row], lang)} → {tax.label(o.strategy, lang)}"
        )
        v["tts"].setText(fmt_days(o.tts_days) if o.tts_days is not None or o.unmet_days is None
                         else translate("Scenarios", "stock lasts the whole scenario"))
        v["ttr"].setText(fmt_days(o.ttr_days))
        v["unmet"].setText(
            "—" if o.unmet_days is None
            else translate("Scenarios", "{days} consumption-days").format(days=f"{o.unmet_days:.2f}")
        )  # fmt: skip
        v["share"].setText(fmt_share(o.unmet_share))
        v["expected"].setText(fmt_days(o.expected_unmet_days))
        self.drivers.setRowCount(len(o.drivers))
        for r, d in enumerate(o.drivers):
            change = ("+" if (d.delta or 0) > 0 else "") + fmt_number(d.delta)
            cells = [tax.label(d.indicator, lang), fmt_number(d.baseline), fmt_number(d.shocked),
                     change + (" ●" if d.moved else "")]  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(d.indicator)
                if d.moved:
                    item.setToolTip(translate(
                        "Scenarios", "● alone, this change moves the chain to another type"))
                self.drivers.setItem(r, c, item)
        if not o.drivers:
            self.drivers_label.setText(translate("Scenarios", "Indicator changes (drivers): none"))
        else:
            self.drivers_label.setText(translate("Scenarios", "Indicator changes (drivers)"))
        self.notes.setText(notes_text(o, lang))
