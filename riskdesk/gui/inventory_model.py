"""Inventory table: a QAbstractTableModel over the inventory frame and the run's results.

Every display string, colour and sort key is prepared once per reset as a column array, so data()
is a list look-up (no pandas access per call) and 100,000 rows scroll smoothly. Sorting permutes
row order with numpy in the source model; the proxy only filters, from a precomputed mask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskdesk.charts.style import LEVEL_COLOURS as CHART_LEVEL_COLOURS
from riskdesk.charts.style import OUTCOME_COLOURS as CHART_OUTCOME_COLOURS
from riskdesk.charts.style import tint
from riskdesk.core.commands import Judgement
from riskdesk.core.inventory import ChainKey, Inventory
from riskdesk.core.models import Lang, Outcome, RiskLevel, RiskType, Status
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.gui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    translate,
)
from riskdesk.gui.workspace import results_by_key

KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # inventory row number
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 2

# The charts' palette, so a colour means the same here: the level ramp paled for cell
# backgrounds (text stays readable), the outcome colours as they are for the badges.
LEVEL_COLOURS: dict[str, str] = {lv: tint(c, 0.45) for lv, c in CHART_LEVEL_COLOURS.items()}
OUTCOME_COLOURS: dict[str, str] = dict(CHART_OUTCOME_COLOURS)
MISSING_TEXT = "—"


@dataclass(frozen=True)
class Column:
    id: str
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("chain_id"),
    Column("chain_name"),
    Column("segment"),
    Column("sector"),
    Column("tech_category"),
    Column("outcome"),
    Column("level"),
    Column("missing", numeric=True),
    Column("destroyed", numeric=True),
    Column("response", numeric=True),
    Column("exposure", numeric=True),
    Column("robustness", numeric=True),
    Column("status"),
)


def column_title(column_id: str, taxonomy: Taxonomy, lang: Lang) -> str:
    titles = {
        "chain_id": translate("Inventory", "ID"),
        "chain_name": translate("Inventory", "Chain"),
        "segment": translate("Inventory", "Segment"),
        "sector": translate("Inventory", "Sector"),
        "tech_category": translate("Inventory", "Tech category"),
        "outcome": translate("Inventory", "Classification"),
        "level": translate("Inventory", "Risk level"),
        "exposure": translate("Inventory", "Exposure"),
        "robustness": translate("Inventory", "Stability"),
        "status": translate("Inventory", "Status"),
    }
    if column_id in titles:
        return titles[column_id]
    return taxonomy.label(column_id, lang)


def level_label(level: str) -> str:
    labels: dict[str, str] = {
        RiskLevel.LOW: translate("Labels", "low"),
        RiskLevel.MEDIUM: translate("Labels", "medium"),
        RiskLevel.HIGH: translate("Labels", "high"),
        RiskLevel.CRITICAL: translate("Labels", "critical"),
    }
    return labels.get(level, level)


def status_label(status: str) -> str:
    labels: dict[str, str] = {
        Status.DRAFT: translate("Labels", "draft"),
        Status.SUBMITTED: translate("Labels", "submitted"),
        Status.RETURNED: translate("Labels", "returned"),
        Status.APPROVED: translate("Labels", "approved"),
    }
    return labels.get(status, status)


def tech_label(category: str, lang: Lang) -> str:
    labels = {
        "emerging": ("新兴技术", "emerging"),
        "core": ("核心技术", "core"),
        "foundational": ("基础零部件与材料", "foundational"),
        "mature": ("成熟技术", "mature"),
    }
    pair = labels.get(category)
    return category if pair is None else pair[0 if lang == "zh" else 1]


def fmt_score(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    return f"{value:.2f}"


class InventoryTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._n = 0
        self._display: list[list[str]] = []
        self._sort_keys: list[np.ndarray] = []
        self._outcome: list[str] = []
        self._level: list[str] = []
        self._order = np.zeros(0, dtype=np.int64)
        self._titles: list[str] = []
        self.keys: list[ChainKey] = []

    # --- preparation (once per reset) ---------------------------------------------------------

    def load(
        self,
        inventory: Inventory,
        run: AssessmentRun | None,
        judgements: dict[ChainKey, Judgement],
        taxonomy: Taxonomy,
        lang: Lang,
    ) -> None:
        self.show(prepare_rows(profile_snapshot(inventory), run, judgements, taxonomy, lang))

    def show(self, rows: PreparedRows) -> None:
        """Swap in rows prepared elsewhere (possibly in a worker): only a reset on the UI thread."""
        self.beginResetModel()
        self._n = rows.n
        self.keys = rows.keys
        self._titles = rows.titles
        self._display = rows.display
        self._sort_keys = rows.sort_keys
        self._outcome = rows.outcome
        self._level = rows.level
        self._order = np.arange(rows.n, dtype=np.int64)
        self.endResetModel()

    # --- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section] if section < len(self._titles) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        row = int(self._order[index.row()])
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[col][row]
        if role == KEY_ROLE:
            return row
        column_id = COLUMNS[col].id
        if role == OUTCOME_ROLE:
            return self._outcome[row]
        if role == Qt.ItemDataRole.BackgroundRole and column_id == "level":
            colour = LEVEL_COLOURS.get(self._level[row])
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[col].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self._sort_keys or column < 0:
            return
        self.layoutAboutToBeChanged.emit()
        keys = self._sort_keys[column]
        if keys.dtype == object:
            keys = np.array([str(k).casefold() for k in keys.tolist()])
        order_ = np.argsort(keys, kind="stable")
        if order == Qt.SortOrder.DescendingOrder:
            order_ = order_[::-1]
        old = self._order
        self._order = order_.astype(np.int64)
        self._remap_persistent(old)
        self.layoutChanged.emit()

    def _remap_persistent(self, old_order: np.ndarray) -> None:
        position = np.empty_like(self._order)
        position[self._order] = np.arange(len(self._order))
        old_list = self.persistentIndexList()
        new_list = [self.index(int(position[old_order[i.row()]]), i.column()) for i in old_list]
        self.changePersistentIndexList(old_list, new_list)

    # --- look-ups for views and filters -------------------------------------------------------

    def inventory_row(self, view_row: int) -> int:
        return int(self._order[view_row])

    def view_row(self, inventory_row: int) -> int:
        return int(np.flatnonzero(self._order == inventory_row)[0])

    def search_text(self) -> np.ndarray:
        joined = [
            " ".join(parts).casefold()
            for parts in zip(*(self._display[i] for i in range(4)), strict=True)
        ]
        return np.array(joined, dtype=object)

    def outcomes(self) -> list[str]:
        return self._outcome

    def levels(self) -> list[str]:
        return self._level

    def statuses(self) -> list[str]:
        return [str(s) for s in self._sort_keys[COLUMNS.index(Column("status"))].tolist()]


@dataclass(frozen=True)
class PreparedRows:
    """Display strings, sort keys and badges of every row — built once, off the UI thread if large."""

    n: int
    keys: list[ChainKey]
    titles: list[str]
    display: list[list[str]]
    sort_keys: list[np.ndarray]
    outcome: list[str]
    level: list[str]


RISK_TYPES = frozenset(t.value for t in RiskType)
PROFILE_COLUMNS = ("chain_id", "chain_name", "segment", "sector", "tech_category")


def profile_snapshot(inventory: Inventory) -> pd.DataFrame:
    """The few columns the table shows, copied so a worker can read them while edits go on."""
    return inventory.frame[list(PROFILE_COLUMNS)].copy()


def prepare_rows(
    frame: pd.DataFrame,
    run: AssessmentRun | None,
    judgements: dict[ChainKey, Judgement],
    taxonomy: Taxonomy,
    lang: Lang,
) -> PreparedRows:
    n = len(frame)
    ids = _text_column(frame["chain_id"].to_numpy(dtype=object))
    segments = _text_column(frame["segment"].to_numpy(dtype=object))
    keys: list[ChainKey] = [(i, s.strip() or None) for i, s in zip(ids, segments, strict=True)]
    titles = [column_title(c.id, taxonomy, lang) for c in COLUMNS]
    text = {
        name: _text_column(frame[name].to_numpy(dtype=object))
        for name in ("chain_id", "chain_name", "segment", "sector")
    }
    tech = [
        tech_label(v, lang) if v else ""
        for v in _text_column(frame["tech_category"].to_numpy(dtype=object))
    ]
    scores = {
        t: np.full(n, np.nan)
        for t in ("missing", "destroyed", "response", "exposure", "robustness")
    }
    outcome = [""] * n
    level = [""] * n
    by_key = results_by_key(run) if run is not None else {}
    if run is not None:
        for i, key in enumerate(keys):
            result = by_key.get(key)
            if result is None:
                continue
            for t in RiskType:
                value = result.type_scores.get(t)
                scores[t.value][i] = np.nan if value is None else value
            scores["exposure"][i] = np.nan if result.exposure is None else result.exposure
            if result.robustness is not None:
                scores["robustness"][i] = result.robustness.primary_stability
            outcome[i] = str(result.primary_type)
            lvl = result.primary_level
            level[i] = "" if lvl is None else str(lvl)
    status = [str(Status.DRAFT)] * n
    if judgements:
        for i, key in enumerate(keys):
            judgement = judgements.get(key)
            if judgement is None:
                continue
            status[i] = str(judgement.status.status)
            if judgement.override is not None:
                # The effective verdict (core rule): the decided type with that type's level.
                decided = judgement.override.outcome
                outcome[i] = str(decided)
                result = by_key.get(key)
                if result is not None and outcome[i] != str(result.primary_type):
                    lvl = (result.risk_levels.get(RiskType(decided.value))
                           if decided.value in RISK_TYPES else None)
                    level[i] = "" if lvl is None else str(lvl)
    outcome_labels = {o: taxonomy.label(o, lang) for o in set(outcome) if o}
    level_labels = {v: level_label(v) for v in set(level) if v}
    status_labels = {v: status_label(v) for v in set(status)}
    outcome_text = [outcome_labels[o] if o else MISSING_TEXT for o in outcome]
    level_text = [level_labels[v] if v else MISSING_TEXT for v in level]
    status_text = [status_labels[v] for v in status]
    level_rank: dict[str, int] = {lv.value: i for i, lv in enumerate(RiskLevel)}
    outcome_rank: dict[str, int] = {o.value: i for i, o in enumerate(Outcome)}
    columns: dict[str, tuple[list[str], np.ndarray]] = {}
    for name, values in text.items():
        columns[name] = (values, np.array(values, dtype=object))
    columns["tech_category"] = (tech, np.array(tech, dtype=object))
    columns["outcome"] = (outcome_text, np.array([outcome_rank.get(o, -1) for o in outcome]))
    columns["level"] = (level_text, np.array([level_rank.get(v, -1) for v in level]))
    for name, arr in scores.items():
        columns[name] = (
            [fmt_score(v) for v in arr.tolist()],
            np.where(np.isnan(arr), -1.0, arr),
        )
    columns["status"] = (status_text, np.array(status, dtype=object))
    return PreparedRows(
        n=n,
        keys=keys,
        titles=titles,
        display=[columns[c.id][0] for c in COLUMNS],
        sort_keys=[columns[c.id][1] for c in COLUMNS],
        outcome=outcome,
        level=level,
    )


def fast_keys(inventory: Inventory) -> list[ChainKey]:
    """(chain_id, segment) per row from whole columns (Inventory.keys() reads cell by cell)."""
    ids = _text_column(inventory.frame["chain_id"].to_numpy(dtype=object))
    segments = _text_column(inventory.frame["segment"].to_numpy(dtype=object))
    return [(i, s.strip() or None) for i, s in zip(ids, segments, strict=True)]


def _text_column(values: np.ndarray) -> list[str]:
    out = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append("")
        else:
            out.append(str(v))
    return out


class InventoryFilterProxy(QSortFilterProxyModel):
    """Filters by search text, type, level and status from a mask computed with numpy."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mask: np.ndarray | None = None
        self._search_cache: np.ndarray | None = None
        self.search = ""
        self.outcome = ""
        self.level = ""
        self.status = ""

    def source(self) -> InventoryTableModel:
        model = self.sourceModel()
        assert isinstance(model, InventoryTableModel)
        return model

    def refresh(self) -> None:
        self._search_cache = None
        self.apply()

    def apply(self) -> None:
        model = self.source()
        n = model.rowCount()
        mask = np.ones(n, dtype=bool)
        if self.search.strip():
            if self._search_cache is None or len(self._search_cache) != n:
                self._search_cache = model.search_text()
            needle = self.search.strip().casefold()
            mask &= np.fromiter((needle in s for s in self._search_cache), dtype=bool, count=n)
        if self.outcome:
            mask &= np.array(model.outcomes(), dtype=object) == self.outcome
        if self.level:
            mask &= np.array(model.levels(), dtype=object) == self.level
        if self.status:
            mask &= np.array(model.statuses(), dtype=object) == self.status
        self.beginFilterChange()
        self._mask = None if mask.all() else mask
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._mask is None:
            return True
        model = self.source()
        return bool(self._mask[model.inventory_row(source_row)])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Sorting 100,000 rows through lessThan() would call Python millions of times; the source
        # model sorts with numpy and this proxy keeps its order.
        self.source().sort(column, order)
