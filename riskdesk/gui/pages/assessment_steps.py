"""The six steps of the guided assessment; each is a view that reads and writes the draft."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from riskdesk.core.models import Lang, TechCategory
from riskdesk.core.taxonomy import Question
from riskdesk.core.text import fmt_value
from riskdesk.gui.cells import cell_float
from riskdesk.gui.draft import Answer, AssessmentDraft, EnteredValue, questions_by_dimension
from riskdesk.gui.inventory_model import tech_label
from riskdesk.gui.qt import (
    QAbstractItemView,
    QButtonGroup,
    QColor,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    cell,
    named,
    translate,
)
from riskdesk.gui.workspace import Workspace

MISSING_BG = QColor("#fff3b0")
EXPERT_BG = QColor("#e3f1e1")


class WizardStep(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__()
        self.ws = workspace
        self.lang = lang_fn
        self.draft: AssessmentDraft | None = None

    def set_draft(self, draft: AssessmentDraft) -> None:
        self.draft = draft

    def enter(self) -> None:
        """Show the draft's current state."""

    def leave(self) -> None:
        """Write any pending widget state into the draft."""

    def problem(self) -> str | None:
        """Why the analyst cannot go on from this step (None when they can)."""
        return None

    def result_ready(self) -> None:
        """The engine returned a fresh result for the draft."""

    def retranslate(self) -> None:
        if self.draft is not None:
            self.enter()

    def _dirty(self) -> None:
        if self.draft is not None:
            self.draft.result_stale = True
        self.changed.emit()


# --- 1 profile ---------------------------------------------------------------------------------


class ProfileStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepProfile")
        self.name = named(QLineEdit(), "profileName")
        self.sector = named(QLineEdit(), "profileSector")
        self.segment = named(QLabel(), "profileSegment")
        self.tech = named(QComboBox(), "profileTech")
        self.strategic = named(QSpinBox(), "profileStrategic")
        self.generality = named(QSpinBox(), "profileGenerality")
        for spin in (self.strategic, self.generality):
            spin.setRange(0, 5)  # 0 shows as "unknown": missing is not a score
        self.owner = named(QLineEdit(), "profileOwner")
        self.description = named(QPlainTextEdit(), "profileDescription")
        self.description.setTabChangesFocus(True)  # Tab moves on; no tab characters in data
        self.description.setMaximumHeight(90)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self._rows: list[QWidget] = [
            self.name,
            self.sector,
            self.segment,
            self.tech,
            self.strategic,
            self.generality,
            self.owner,
            self.description,
        ]
        self._labels = [QLabel() for _ in self._rows]
        for label, widget in zip(self._labels, self._rows, strict=True):
            self.form.addRow(label, widget)
        self.name.textEdited.connect(lambda t: self._set("chain_name", t.strip() or None))
        self.sector.textEdited.connect(lambda t: self._set("sector", t.strip() or None))
        self.owner.textEdited.connect(lambda t: self._set("owner", t.strip() or None))
        self.description.textChanged.connect(
            lambda: self._set("description", self.description.toPlainText().strip() or None)
        )
        self.tech.activated.connect(lambda _i: self._set("tech_category", self.tech.currentData()))
        self.strategic.valueChanged.connect(
            lambda v: self._set("strategic_value", float(v) if v else np.nan)
        )
        self.generality.valueChanged.connect(
            lambda v: self._set("generality", float(v) if v else np.nan)
        )
        self._loading = False

    def _set(self, column: str, value: object) -> None:
        if self._loading or self.draft is None:
            return
        self.draft.profile[column] = value
        self._dirty()

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self._loading = True
        p = draft.profile
        self.name.setText(_text(p.get("chain_name")))
        self.sector.setText(_text(p.get("sector")))
        self.segment.setText(draft.key[1] or translate("Wizard", "whole chain"))
        self.tech.clear()
        self.tech.addItem(translate("Wizard", "unknown"), None)
        for cat in TechCategory:
            self.tech.addItem(tech_label(cat.value, self.lang()), cat.value)
        self.tech.setCurrentIndex(max(0, self.tech.findData(p.get("tech_category"))))
        self.strategic.setValue(_int(p.get("strategic_value")))
        self.generality.setValue(_int(p.get("generality")))
        self.owner.setText(_text(p.get("owner")))
        self.description.setPlainText(_text(p.get("description")))
        self._loading = False

    def problem(self) -> str | None:
        if self.draft is not None and not _text(self.draft.profile.get("chain_name")):
            return translate("Wizard", "The chain needs a name.")
        return None

    def retranslate(self) -> None:
        labels = [
            translate("Wizard", "Chain name"),
            translate("Wizard", "Sector"),
            translate("Wizard", "Segment"),
            translate("Wizard", "Technology category"),
            translate("Wizard", "Strategic value (1–5)"),
            translate("Wizard", "Generality (1–5)"),
            translate("Wizard", "Responsible office"),
            translate("Wizard", "Description"),
        ]
        for label, text in zip(self._labels, labels, strict=True):
            label.setText(text)
        for spin in (self.strategic, self.generality):
            spin.setSpecialValueText(translate("Wizard", "unknown"))
        super().retranslate()


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _int(value: object) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    return 0 if math.isnan(number) else int(number)


# --- 2 data check ------------------------------------------------------------------------------

COL_NAME, COL_DIMS, COL_VALUE, COL_UNIT, COL_YEAR, COL_SOURCE, COL_EVIDENCE = range(7)


def parse_number(text: str) -> float | None:
    """Accept what analysts type: '0.9', '90%', '９０％', '0,9'. Raises ValueError otherwise."""
    cleaned = text.strip().translate(
        str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")
    )
    if not cleaned:
        return None
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%").strip().replace(",", ".")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value / 100 if percent else value


class DataCheckStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepData")
        self.intro = named(QLabel(), "dataIntro")
        self.intro.setWordWrap(True)
        self.table = named(QTableWidget(0, 7), "dataTable")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_EVIDENCE, QHeaderView.ResizeMode.Stretch
        )
        self.table.itemChanged.connect(self._item_changed)
        self.error = named(QLabel(), "dataError")
        self.error.setStyleSheet("color: #b03a2e;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self._loading = False
        self.bad_cells: set[str] = set()

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self._loading = True
        tax, inv, lang = self.ws.taxonomy, self.ws.inventory, self.lang()
        self.table.setRowCount(len(tax.indicators))
        for r, ind in enumerate(tax.indicators):
            entered = draft.entered.get(ind.id)
            raw = cell_float(inv.frame, draft.row, ind.id)
            prov = inv.provenance(draft.row, ind.id)
            if entered is not None:
                value_text = "" if entered.value is None else f"{entered.value:g}"
                source = translate("Wizard", "entered here (expert)")
                year = "" if entered.year is None else str(entered.year)
                evidence = entered.evidence
                missing = entered.value is None
            else:
                missing = prov is None
                value_text = "" if missing else f"{float(raw):g}"
                source = "" if prov is None else prov.describe(lang)
                year_value = None if missing else inv.year(draft.row, ind.id)
                year = "" if year_value is None else str(year_value)
                evidence = ""
            dims = ", ".join(tax.label(d, lang) for d in ind.weights)
            cells = [
                ind.name(lang),
                dims,
                value_text,
                ind.unit,
                year,
                source or translate("Wizard", "missing"),
                evidence,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c not in (COL_VALUE, COL_YEAR, COL_EVIDENCE):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c in (COL_DIMS, COL_SOURCE):
                    item.setToolTip(text)
                if c == COL_NAME:
                    item.setData(Qt.ItemDataRole.UserRole, ind.id)
                    item.setToolTip(ind.description_zh if lang == "zh" else ind.description_en)
                if missing:
                    item.setBackground(MISSING_BG)
                elif entered is not None:
                    item.setBackground(EXPERT_BG)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(COL_NAME, min(self.table.columnWidth(COL_NAME), 220))
        self.table.setColumnWidth(COL_DIMS, min(self.table.columnWidth(COL_DIMS), 200))
        self.table.setColumnWidth(COL_SOURCE, min(self.table.columnWidth(COL_SOURCE), 220))
        self._loading = False
        self._show_error()

    def focus_indicator(self, indicator: str) -> None:
        r = self.row_of(indicator)
        self.table.setCurrentCell(r, COL_VALUE)
        self.table.scrollToItem(cell(self.table, r, COL_VALUE))

    def row_of(self, indicator: str) -> int:
        return self.ws.taxonomy.indicator_ids.index(indicator)

    def enter_value(self, indicator: str, text: str, evidence: str = "", year: str = "") -> None:
        """What typing into the table does (also used by tests and keyboard-only users)."""
        r = self.row_of(indicator)
        cell(self.table, r, COL_EVIDENCE).setText(evidence)
        cell(self.table, r, COL_YEAR).setText(year)
        cell(self.table, r, COL_VALUE).setText(text)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or self.draft is None:
            return
        r = item.row()
        indicator = str(cell(self.table, r, COL_NAME).data(Qt.ItemDataRole.UserRole))
        value_text = cell(self.table, r, COL_VALUE).text()
        year_text = cell(self.table, r, COL_YEAR).text().strip()
        evidence = cell(self.table, r, COL_EVIDENCE).text()
        try:
            value = parse_number(value_text)
            year = int(year_text) if year_text else None
        except ValueError:
            self.bad_cells.add(indicator)
            item.setBackground(QColor("#f4a3a3"))
            self._show_error()
            self.changed.emit()
            return
        self.bad_cells.discard(indicator)
        if item.column() in (COL_VALUE, COL_YEAR, COL_EVIDENCE):
            existing = self.draft.entered.get(indicator)
            if existing is None and item.column() != COL_VALUE and not value_text:
                self._show_error()
                return
            self.draft.entered[indicator] = EnteredValue(value, evidence, year)
            self._loading = True
            for c in range(7):
                cell(self.table, r, c).setBackground(MISSING_BG if value is None else EXPERT_BG)
            cell(self.table, r, COL_SOURCE).setText(translate("Wizard", "entered here (expert)"))
            self._loading = False
        self._show_error()
        self._dirty()

    def _show_error(self) -> None:
        self.error.setText(self.problem() or "")

    def problem(self) -> str | None:
        if self.bad_cells:
            names = ", ".join(
                self.ws.taxonomy.label(i, self.lang()) for i in sorted(self.bad_cells)
            )
            return translate("Wizard", "Not a number: {names}").format(names=names)
        if self.draft is not None:
            lacking = [
                i
                for i, e in self.draft.entered.items()
                if e.value is not None and not e.evidence.strip()
            ]
            if lacking:
                names = ", ".join(self.ws.taxonomy.label(i, self.lang()) for i in lacking)
                return translate(
                    "Wizard", "An entered value needs an evidence note: {names}"
                ).format(names=names)
        return None

    def retranslate(self) -> None:
        self.intro.setText(
            translate(
                "Wizard",
                "Every indicator with value, unit, year and source. Missing values are highlighted; type a "
                "value (0.9 or 90%) with an evidence note to record it as an expert judgement.",
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                translate("Wizard", "Indicator"),
                translate("Wizard", "Feeds"),
                translate("Wizard", "Value"),
                translate("Wizard", "Unit"),
                translate("Wizard", "Year"),
                translate("Wizard", "Source"),
                translate("Wizard", "Evidence note"),
            ]
        )
        super().retranslate()


# --- 3 diagnostic questions --------------------------------------------------------------------


class QuestionWidget(QGroupBox):
    answered = Signal()

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.setObjectName(f"question_{question_id}")
        self.question_id = question_id
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        self.descriptions: list[QLabel] = []
        self.unanswered = named(QRadioButton(), "unanswered")
        self.existing = QLabel()
        self.existing.setStyleSheet("color: #566573;")
        self.existing.setWordWrap(True)
        self.evidence = named(QLineEdit(), "evidence")
        self.layout_ = QVBoxLayout(self)
        self.group.addButton(self.unanswered, 0)
        self.group.idClicked.connect(lambda _id: self.answered.emit())
        self.evidence.textEdited.connect(lambda _t: self.answered.emit())


class QuestionsStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepQuestions")
        self.intro = named(QLabel(), "questionsIntro")
        self.intro.setWordWrap(True)
        self.question_scroll = named(QScrollArea(), "questionsScroll")
        self.question_scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.question_scroll, 1)
        self.widgets: dict[str, QuestionWidget] = {}
        self._loading = False

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self._loading = True
        tax, lang, inv = self.ws.taxonomy, self.lang(), self.ws.inventory
        body = QWidget()
        col = QVBoxLayout(body)
        self.widgets = {}
        for dim, questions in questions_by_dimension(tax):
            heading = QLabel(
                f"<b>{tax.label(dim, lang)}</b> — "
                + (
                    tax.dimension_by_id[dim].description_zh
                    if lang == "zh"
                    else tax.dimension_by_id[dim].description_en
                )
            )
            heading.setWordWrap(True)
            col.addWidget(heading)
            for q in questions:
                w = QuestionWidget(q.id)
                w.setTitle(q.text_zh if lang == "zh" else q.text_en)
                answer = draft.answers.get(q.id)
                for i, level in enumerate(q.levels, start=1):
                    label = level.label_zh if lang == "zh" else level.label_en
                    desc = level.description_zh if lang == "zh" else level.description_en
                    button = QRadioButton(label)
                    button.setObjectName(f"level_{i}")
                    w.group.addButton(button, i)
                    w.buttons.append(button)
                    text = QLabel(desc)
                    text.setWordWrap(True)
                    text.setContentsMargins(24, 0, 0, 4)
                    text.setStyleSheet("color: #424949;")
                    w.layout_.addWidget(button)
                    w.layout_.addWidget(text)
                    if answer is not None and answer.level == level.value:
                        button.setChecked(True)
                w.unanswered.setText(translate("Wizard", "Not answered"))
                w.layout_.addWidget(w.unanswered)
                if answer is None or answer.level is None:
                    w.unanswered.setChecked(True)
                raw = cell_float(inv.frame, draft.row, q.indicator)
                prov = inv.provenance(draft.row, q.indicator)
                if prov is not None and not (
                    prov.kind == "expert" and prov.method == f"question:{q.id}"
                ):
                    w.existing.setText(
                        translate(
                            "Wizard",
                            "The data already gives {value} ({source}); an answer replaces it.",
                        ).format(
                            value=fmt_value(tax.indicator_by_id[q.indicator], float(raw), lang),
                            source=prov.describe(lang),
                        )
                    )
                    w.layout_.addWidget(w.existing)
                w.evidence.setPlaceholderText(
                    translate("Wizard", "Evidence note (source, interview, document)")
                )
                w.evidence.setText(answer.evidence if answer else "")
                w.layout_.addWidget(w.evidence)
                w.answered.connect(lambda qw=w, qq=q: self._answered(qw, qq))
                col.addWidget(w)
                self.widgets[q.id] = w
        col.addStretch(1)
        self.question_scroll.setWidget(body)
        self._loading = False

    def _answered(self, widget: QuestionWidget, question: Question) -> None:
        if self._loading or self.draft is None:
            return
        checked = widget.group.checkedId()
        level = None if checked <= 0 else question.levels[checked - 1].value
        self.draft.answers[question.id] = Answer(level, widget.evidence.text())
        self._dirty()

    def answer(self, question_id: str, level_index: int, evidence: str = "") -> None:
        """Choose answer level `level_index` (1-based; 0 = not answered) as a click would."""
        w = self.widgets[question_id]
        w.evidence.setText(evidence)
        button = w.group.button(level_index)
        button.click()

    def problem(self) -> str | None:
        if self.draft is None:
            return None
        lacking = [
            q
            for q, a in self.draft.answers.items()
            if a.level is not None and not a.evidence.strip()
        ]
        if lacking:
            return translate("Wizard", "Each answer needs an evidence note ({n} without).").format(
                n=len(lacking)
            )
        return None

    def retranslate(self) -> None:
        self.intro.setText(
            translate(
                "Wizard",
                "Answer what the data cannot tell. Each level is anchored in the papers' cases; the answer is "
                "stored as an expert indicator value with your evidence note.",
            )
        )
        super().retranslate()


__all__ = [
    "DataCheckStep",
    "ProfileStep",
    "QuestionsStep",
    "WizardStep",
    "parse_number",
]
