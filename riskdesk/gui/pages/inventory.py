"""Inventory page: the chains with type badges and risk-level colours, search, filters, multi-select."""

from __future__ import annotations

from riskdesk.charts.style import text_on
from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Lang, Outcome, RiskLevel, Status
from riskdesk.gui.inventory_model import (
    COLUMNS,
    OUTCOME_COLOURS,
    OUTCOME_ROLE,
    InventoryFilterProxy,
    InventoryTableModel,
    PreparedRows,
    level_label,
    prepare_rows,
    profile_snapshot,
    status_label,
)
from riskdesk.gui.qt import (
    QAbstractItemView,
    QColor,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPainter,
    QPersistentModelIndex,
    QPushButton,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace

SYNC_ROWS = 2000  # above this, rows are prepared in a worker so the window never freezes


class OutcomeBadgeDelegate(QStyledItemDelegate):
    """Paints the classification as a coloured badge so the type reads at a glance."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        outcome = index.data(OUTCOME_ROLE)
        colour = OUTCOME_COLOURS.get(outcome or "")
        if not colour:
            super().paint(painter, option, index)
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(3, 3, -3, -3)
        width = min(rect.width(), option.fontMetrics.horizontalAdvance(text) + 14)
        rect.setWidth(width)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(rect, 7, 7)
        painter.setPen(QColor(text_on(colour)))  # ink on the pale yellow and grey badges
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 20, size.height())


class InventoryPage(QWidget):
    open_assessment = Signal(object)  # ChainKey
    import_requested = Signal()

    def __init__(
        self, workspace: Workspace, lang_fn: object, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryPage")
        self.ws = workspace
        self._lang_fn = lang_fn
        self._generation = 0
        self._prepare_op: BackgroundOp | None = None
        self.model = InventoryTableModel(self)
        self.proxy = InventoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = named(QLineEdit(), "inventorySearch")
        self.search.setClearButtonEnabled(True)
        self.outcome_filter = named(QComboBox(), "outcomeFilter")
        self.level_filter = named(QComboBox(), "levelFilter")
        self.status_filter = named(QComboBox(), "statusFilter")
        self.import_button = named(QPushButton(), "importButton")
        self.assess_button = named(QPushButton(), "assessButton")
        self.count_label = named(QLabel(), "inventoryCount")
        self.empty_label = named(QLabel(), "inventoryEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.table = named(QTableView(), "inventoryTable")
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(
            COLUMNS.index(next(c for c in COLUMNS if c.id == "outcome")),
            OutcomeBadgeDelegate(self.table),
        )
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints on scroll
        vh.setDefaultSectionSize(26)
        vh.hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_current)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.outcome_filter, 1)
        bar.addWidget(self.level_filter, 1)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.assess_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._filter_changed)
        for combo in (self.outcome_filter, self.level_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.import_button.clicked.connect(self.import_requested)
        self.assess_button.clicked.connect(self._open_current)
        for signal in (
            workspace.inventory_changed,
            workspace.results_changed,
            workspace.decisions_changed,
            workspace.taxonomy_changed,
        ):
            signal.connect(self.reload)
        self.retranslate()

    def lang(self) -> Lang:
        return self._lang_fn()  # type: ignore[operator, no-any-return]

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            translate("Inventory", "Search by ID, name, segment or sector")
        )
        self.import_button.setText(translate("Inventory", "Import spreadsheet…"))
        self.assess_button.setText(translate("Inventory", "Assess selected chain"))
        self.empty_label.setText(
            translate(
                "Inventory", "No chains yet. Import a spreadsheet (or drop it on the window)."
            )
        )
        tax = self.ws.taxonomy
        lang = self.lang()
        _fill(
            self.outcome_filter,
            translate("Inventory", "All classifications"),
            [(o.value, tax.label(o.value, lang)) for o in Outcome],
        )
        _fill(
            self.level_filter,
            translate("Inventory", "All risk levels"),
            [(lv.value, level_label(lv)) for lv in RiskLevel],
        )
        _fill(
            self.status_filter,
            translate("Inventory", "All statuses"),
            [(s.value, status_label(s)) for s in Status],
        )
        self.reload()

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the rows: inline for a small inventory, in a worker for a large one."""
        ws = self.ws
        snapshot = profile_snapshot(ws.inventory)
        args = (snapshot, ws.run, dict(ws.judgements), ws.taxonomy, self.lang())
        self._generation += 1
        generation = self._generation
        if len(snapshot) <= SYNC_ROWS:
            self._show(prepare_rows(*args), generation)
            return
        if self._prepare_op is not None:
            self._prepare_op.cancel()
        op = BackgroundOp(self, lambda _p, _c: prepare_rows(*args))
        op.on_success(lambda rows: self._show(rows, generation))
        self._prepare_op = op
        op.run(show_dialog=False)

    def _show(self, rows: PreparedRows, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        self._prepare_op = None
        selected = self.selected_keys()
        self.model.show(rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() < len(COLUMNS) and header.isSortIndicatorShown():
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.proxy.refresh()
        self._resize_columns()
        self.select_keys(selected)
        self._update_count()
        self.empty_label.setVisible(self.model.rowCount() == 0)

    def _resize_columns(self) -> None:
        if self.model.rowCount() <= SYNC_ROWS:
            self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.resizeSection(col, min(max(header.sectionSize(col), 70), 260))

    def _filter_changed(self) -> None:
        self.proxy.search = self.search.text()
        self.proxy.outcome = self.outcome_filter.currentData() or ""
        self.proxy.level = self.level_filter.currentData() or ""
        self.proxy.status = self.status_filter.currentData() or ""
        self.proxy.apply()
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(
            translate("Inventory", "{shown} of {total} rows shown · {selected} selected").format(
                shown=self.proxy.rowCount(),
                total=self.model.rowCount(),
                selected=len(self.selected_keys()),
            )
        )

    # --- selection ----------------------------------------------------------------------------

    def selected_keys(self) -> list[ChainKey]:
        rows = sorted(
            {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        )
        return [self.model.keys[self.model.inventory_row(r)] for r in rows]

    def select_keys(self, keys: list[ChainKey]) -> None:
        self.table.clearSelection()
        wanted = set(keys)
        if not wanted:
            return
        sm = self.table.selectionModel()
        for inv_row, key in enumerate(self.model.keys):
            if key in wanted:
                proxy_index = self.proxy.mapFromSource(
                    self.model.index(self.model.view_row(inv_row), 0)
                )
                if proxy_index.isValid():
                    sm.select(proxy_index, sm.SelectionFlag.Select | sm.SelectionFlag.Rows)

    def focus_cell(self, inventory_row: int, column_id: str | None = None) -> None:
        """Scroll to and select one row (used when the analyst clicks a located problem)."""
        col = next((i for i, c in enumerate(COLUMNS) if c.id == column_id), 0)
        source = self.model.index(self.model.view_row(inventory_row), col)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.search.clear()
            self.outcome_filter.setCurrentIndex(0)
            self.level_filter.setCurrentIndex(0)
            self.status_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(source)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_count()
        if current.isValid():
            row = self.model.inventory_row(self.proxy.mapToSource(current).row())
            self.ws.select(self.model.keys[row])

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        if index.isValid():
            row = self.model.inventory_row(self.proxy.mapToSource(index).row())
            self.open_assessment.emit(self.model.keys[row])


def _fill(combo: QComboBox, all_text: str, items: list[tuple[str, str]]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, "")
    for value, text in items:
        combo.addItem(text, value)
    found = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)
