"""Steps 4–6 of the guided assessment: result with accept/override, strategy, finish."""

from __future__ import annotations

import html
from collections.abc import Callable

from riskdesk.charts import dimension_scores_figure, type_scores_figure
from riskdesk.core.commands import SelectedMeasure
from riskdesk.core.models import Lang, Outcome, Status
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import EXPOSURE
from riskdesk.gui.charts import ChartView
from riskdesk.gui.inventory_model import fmt_score, level_label, status_label
from riskdesk.gui.pages.assessment_steps import WizardStep
from riskdesk.gui.qt import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    named,
    translate,
)
from riskdesk.gui.workspace import Workspace


def result_summary_html(result: ChainResult, ws: Workspace, lang: Lang) -> str:
    """Classification, exposure gate, explanation and robustness as one readable block."""
    tax = ws.taxonomy
    e = html.escape
    parts = [f"<h3>{e(tax.label(result.primary_type, lang))}</h3>"]
    if result.types:
        names = (
            "、".join(tax.label(t, lang) for t in result.types)
            if lang == "zh"
            else ", ".join(tax.label(t, lang) for t in result.types)
        )
        tr_text = translate("Wizard", "Assigned types")
        parts.append(f"<p>{e(tr_text)}: {e(names)}</p>")
    level = result.primary_level
    if level is not None:
        tr_text = translate("Wizard", "Risk level")
        parts.append(
            f"<p>{e(tr_text)}: {e(level_label(level))} ({fmt_score(result.primary_score)})</p>"
        )
    exposure = translate(
        "Wizard", "Exposure gate: {score} (evidence coverage {coverage:.0%})"
    ).format(score=fmt_score(result.exposure), coverage=result.exposure_coverage)
    parts.append(f"<p>{e(exposure)}</p>")
    if result.normal_dependence:
        tr_text = translate(
            "Wizard", "A capability gap with an unexposed supply: normal dependence."
        )
        parts.append(f"<p><i>{e(tr_text)}</i></p>")
    parts.append(f"<p>{e(result.explanation.text(lang))}</p>")
    if result.robustness is not None:
        rob = result.robustness
        stable = translate(
            "Wizard",
            "Robustness: the primary classification holds in {share:.0%} of {draws} weight draws (±{spread:.0%}).",
        ).format(share=rob.primary_stability, draws=rob.draws, spread=rob.spread)
        parts.append(f"<p>{e(stable)}</p>")
        if rob.alternatives:
            alts = ", ".join(f"{tax.label(k, lang)} {v:.0%}" for k, v in rob.alternatives.items())
            tr_text = translate("Wizard", "Alternatives seen")
            parts.append(f"<p>{e(tr_text)}: {e(alts)}</p>")
    if result.data_to_collect:
        names = ", ".join(tax.label(i, lang) for i in result.data_to_collect[:6])
        tr_text = translate("Wizard", "Data to collect first")
        parts.append(f"<p>{e(tr_text)}: {e(names)}</p>")
    return "".join(parts)


class ResultStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepResult")
        self.type_chart = ChartView("typeScoresChart", 170)
        self.dimension_chart = ChartView("dimensionScoresChart", 260)
        self.summary = named(QTextBrowser(), "resultSummary")
        self.busy = named(QLabel(), "resultBusy")
        self.accept_button = named(QRadioButton(), "acceptClassification")
        self.override_button = named(QRadioButton(), "overrideClassification")
        group = QButtonGroup(self)
        group.addButton(self.accept_button)
        group.addButton(self.override_button)
        self.override_outcome = named(QComboBox(), "overrideOutcome")
        self.reason = named(QPlainTextEdit(), "overrideReason")
        self.reason.setTabChangesFocus(True)  # Tab moves on; no tab characters in data
        self.reason.setMaximumHeight(70)
        self.decision_box = named(QGroupBox(), "decisionBox")
        box = QGridLayout(self.decision_box)
        box.addWidget(self.accept_button, 0, 0, 1, 2)
        box.addWidget(self.override_button, 1, 0)
        box.addWidget(self.override_outcome, 1, 1)
        box.addWidget(self.reason, 2, 0, 1, 2)
        charts = QVBoxLayout()
        charts.addWidget(self.type_chart)
        charts.addWidget(self.dimension_chart, 1)
        right = QVBoxLayout()
        right.addWidget(self.busy)
        right.addWidget(self.summary, 1)
        right.addWidget(self.decision_box)
        layout = QHBoxLayout(self)
        layout.addLayout(charts, 3)
        layout.addLayout(right, 2)
        self.accept_button.toggled.connect(self._decision_changed)
        self.override_outcome.activated.connect(lambda _i: self._decision_changed())
        self.reason.textChanged.connect(self._decision_changed)
        self._loading = False

    def show_busy(self) -> None:
        self.busy.setText(translate("Wizard", "Scoring with the engine…"))

    def result_ready(self) -> None:
        self.busy.setText("")

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self._loading = True
        lang, tax = self.lang(), self.ws.taxonomy
        result = draft.result
        self.override_outcome.clear()
        for outcome in Outcome:
            self.override_outcome.addItem(tax.label(outcome, lang), outcome.value)
        if draft.override_outcome is not None:
            self.override_outcome.setCurrentIndex(
                self.override_outcome.findData(draft.override_outcome.value)
            )
        self.accept_button.setChecked(draft.accepted)
        self.override_button.setChecked(not draft.accepted)
        if self.reason.toPlainText() != draft.override_reason:
            self.reason.setPlainText(draft.override_reason)
        self._enable_override()
        if result is not None and not draft.result_stale:
            self.type_chart.show_figure(type_scores_figure(result, tax, lang))
            self.dimension_chart.show_figure(dimension_scores_figure(result, tax, lang))
            self.summary.setHtml(result_summary_html(result, self.ws, lang))
        self._loading = False

    def _enable_override(self) -> None:
        overriding = self.override_button.isChecked()
        self.override_outcome.setEnabled(overriding)
        self.reason.setEnabled(overriding)

    def _decision_changed(self) -> None:
        self._enable_override()
        if self._loading or self.draft is None:
            return
        draft = self.draft
        draft.accepted = self.accept_button.isChecked()
        data = self.override_outcome.currentData()
        draft.override_outcome = Outcome(data) if data and not draft.accepted else None
        draft.override_reason = self.reason.toPlainText()
        self.changed.emit()

    def problem(self) -> str | None:
        draft = self.draft
        if draft is None:
            return None
        if draft.result is None or draft.result_stale:
            return translate("Wizard", "Waiting for the engine's result.")
        issue = draft.override_problem()
        if issue == "no_outcome":
            return translate("Wizard", "Choose the classification you stand behind.")
        if issue == "no_reason":
            return translate("Wizard", "An override needs a written reason.")
        return None

    def retranslate(self) -> None:
        self.decision_box.setTitle(translate("Wizard", "Your decision"))
        self.accept_button.setText(translate("Wizard", "Accept the classification"))
        self.override_button.setText(translate("Wizard", "Override with:"))
        self.reason.setPlaceholderText(
            translate("Wizard", "Reason for the override (required, kept in the audit trail)")
        )
        super().retranslate()


class StrategyStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepStrategy")
        self.strategy = named(QTextBrowser(), "strategySummary")
        self.strategy.setMaximumHeight(170)
        self.measures = named(QListWidget(), "measureList")
        self.measures.setWordWrap(True)
        self.measures.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.measures.itemChanged.connect(self._measures_changed)
        self.new_measure = named(QLineEdit(), "newMeasure")
        self.add_button = named(QPushButton(), "addMeasure")
        self.add_button.clicked.connect(self._add_measure)
        self.notes = named(QPlainTextEdit(), "analystNotes")
        self.notes.setTabChangesFocus(True)  # Tab moves on; no tab characters in data
        self.notes.setMaximumHeight(90)
        self.notes.textChanged.connect(self._notes_changed)
        self.measures_label = QLabel()
        self.notes_label = QLabel()
        add = QHBoxLayout()
        add.addWidget(self.new_measure, 1)
        add.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.strategy)
        layout.addWidget(self.measures_label)
        layout.addWidget(self.measures, 1)
        layout.addLayout(add)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        self._loading = False

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self._loading = True
        tax, lang = self.ws.taxonomy, self.lang()
        result = draft.result
        e = html.escape
        if result is not None:
            spec = tax.strategy_by_id.get(result.strategy)
            lines = [f"<h3>{e(tax.label(result.strategy, lang))}</h3>"]
            if spec is not None:
                lines.append(f"<p>{e(spec.summary_zh if lang == 'zh' else spec.summary_en)}</p>")
            if result.sub_strategy:
                sub = tax.sub_strategy_by_id[result.sub_strategy]
                tr_text = translate("Wizard", "Sub-strategy")
                lines.append(
                    f"<p><b>{e(tr_text)}:</b> {e(sub.name(lang))} — "
                    f"{e(sub.summary_zh if lang == 'zh' else sub.summary_en)}</p>"
                )
            if result.priority_mode:
                tr_text = translate("Wizard", "Priority mode")
                lines.append(
                    f"<p><b>{e(tr_text)}:</b> {e(tax.label(result.priority_mode, lang))}</p>"
                )
            elif result.priority_note:
                tr_text = translate("Wizard", "Priority mode")
                lines.append(f"<p><b>{e(tr_text)}:</b> {e(result.priority_note)}</p>")
            if not draft.accepted and draft.override_outcome is not None:
                tr_text = translate(
                    "Wizard", "Your override: {outcome}. Adjust the measures below to match it."
                )
                lines.append(
                    f"<p><i>{e(tr_text.format(outcome=tax.label(draft.override_outcome, lang)))}</i></p>"
                )
            self.strategy.setHtml("".join(lines))
        if draft.measures is None:
            draft.measures = draft.default_measures(tax)
        self.measures.clear()
        by_id = {m.id: m for m in tax.measures}
        chosen = {m.measure_id: m for m in draft.measures if m.measure_id}
        recommended = list(result.measures) if result is not None else []
        for mid in [*recommended, *(m for m in chosen if m not in recommended)]:
            measure = by_id.get(mid)
            if measure is None:
                continue
            picked = chosen.get(mid)
            text = picked.text if picked is not None and picked.text else measure.title(lang)
            self._add_item(text, mid, picked is not None)
        for m in draft.measures:
            if m.added and m.text:
                self._add_item(m.text, None, True)
        if self.notes.toPlainText() != draft.note:
            self.notes.setPlainText(draft.note)
        self._loading = False

    def _add_item(self, text: str, measure_id: str | None, checked: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, measure_id)
        item.setData(Qt.ItemDataRole.UserRole + 1, text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if measure_id is not None:
            measure = self.ws.taxonomy.measures
            detail = next((m.text(self.lang()) for m in measure if m.id == measure_id), "")
            item.setToolTip(detail)
        self.measures.addItem(item)

    def _measures_changed(self, _item: QListWidgetItem | None = None) -> None:
        if self._loading or self.draft is None:
            return
        selected: list[SelectedMeasure] = []
        lang = self.lang()
        titles = {m.id: m.title(lang) for m in self.ws.taxonomy.measures}
        for i in range(self.measures.count()):
            item = self.measures.item(i)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            mid = item.data(Qt.ItemDataRole.UserRole)
            text = item.text().strip()
            if mid:
                edited = text if text and text != titles.get(mid) else None
                selected.append(SelectedMeasure(measure_id=mid, text=edited))
            elif text:
                selected.append(SelectedMeasure(text=text, added=True))
        self.draft.measures = selected
        self.changed.emit()

    def _add_measure(self) -> None:
        text = self.new_measure.text().strip()
        if not text:
            return
        self._loading = True
        self._add_item(text, None, True)
        self._loading = False
        self.new_measure.clear()
        self._measures_changed()

    def _notes_changed(self) -> None:
        if not self._loading and self.draft is not None:
            self.draft.note = self.notes.toPlainText()
            self.changed.emit()

    def retranslate(self) -> None:
        self.measures_label.setText(
            translate(
                "Wizard",
                "Measures (tick to keep, double-click to edit the text, add your own below)",
            )
        )
        self.new_measure.setPlaceholderText(translate("Wizard", "A measure of your own"))
        self.add_button.setText(translate("Wizard", "Add measure"))
        self.notes_label.setText(translate("Wizard", "Analyst notes"))
        super().retranslate()


class FinishStep(WizardStep):
    def __init__(self, workspace: Workspace, lang_fn: Callable[[], Lang]) -> None:
        super().__init__(workspace, lang_fn)
        self.setObjectName("stepFinish")
        self.summary = named(QTextBrowser(), "finishSummary")
        self.status = named(QComboBox(), "finishStatus")
        self.status.activated.connect(self._status_changed)
        self.status_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.status_label)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary, 1)
        layout.addLayout(row)
        self._holder = QWidget()

    def enter(self) -> None:
        draft = self.draft
        if draft is None:
            return
        tax, lang = self.ws.taxonomy, self.lang()
        self.status.clear()
        for status in Status:
            self.status.addItem(status_label(status), status.value)
        self.status.setCurrentIndex(self.status.findData(draft.status.value))
        e = html.escape
        lines = []
        if draft.result is not None:
            outcome = draft.result.primary_type if draft.accepted else draft.override_outcome
            verdict = (
                translate("Wizard", "accepted")
                if draft.accepted
                else translate("Wizard", "overridden: {reason}").format(
                    reason=draft.override_reason.strip()
                )
            )
            lines.append(
                f"<p><b>{e(tax.label(outcome, lang) if outcome else '')}</b> ({e(verdict)})</p>"
            )
        values = draft.values(tax)
        tr_text = translate("Wizard", "{n} values entered or answered as expert judgement.")
        lines.append(f"<p>{e(tr_text.format(n=len(values)))}</p>")
        n_measures = len(draft.measures or [])
        tr_text = translate("Wizard", "{n} measures selected.")
        lines.append(f"<p>{e(tr_text.format(n=n_measures))}</p>")
        if draft.note.strip():
            lines.append(f"<p>{e(draft.note.strip())}</p>")
        score = draft.result.exposure if draft.result is not None else None
        lines.append(f"<p>{e(tax.label(EXPOSURE, lang))}: {fmt_score(score)}</p>")
        self.summary.setHtml("".join(lines))

    def _status_changed(self, _index: int) -> None:
        if self.draft is not None:
            self.draft.status = Status(self.status.currentData())
            self.changed.emit()

    def problem(self) -> str | None:
        draft = self.draft
        if draft is None:
            return None
        if draft.result is None or draft.result_stale:
            return translate("Wizard", "Waiting for the engine's result.")
        if draft.override_problem() == "no_reason":
            return translate("Wizard", "An override needs a written reason.")
        return None

    def retranslate(self) -> None:
        self.status_label.setText(translate("Wizard", "Status when saved"))
        super().retranslate()
