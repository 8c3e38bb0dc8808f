"""Taxonomy editor: anchors, weights and thresholds in tables, validated by the Taxonomy model.

A valid edit replaces the workspace's taxonomy and re-scores the inventory (debounced); an invalid
one is marked and explained, and nothing changes. Profiles are saved by name; Reset returns to the
bundled default. The country risk list (ISO3 → rating) is edited here too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from riskdesk.core.models import Lang
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy, default_taxonomy
from riskdesk.core.trade import CountryRiskList
from riskdesk.gui.qt import (
    QColor,
    QComboBox,
    QDoubleSpinBox,
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    cell,
    named,
    translate,
)
from riskdesk.gui.taxonomy_profiles import (
    list_profiles,
    load_profile,
    save_profile,
    valid_profile_name,
)
from riskdesk.gui.workspace import Workspace

BAD = QColor("#f4a3a3")
RESCORE_DELAY_MS = 400
FIXED_COLS = 4  # indicator, unit, safe, critical


def taxonomy_display_name(taxonomy: Taxonomy) -> str:
    """The bundled taxonomy by its name, a saved profile by its name, else 'edited' (in the
    interface language at the time it is shown)."""
    if taxonomy.sha256 == default_taxonomy().sha256:
        return taxonomy.name
    for name in list_profiles():
        try:
            if load_profile(name).sha256 == taxonomy.sha256:
                return name
        except ValueError:
            continue
    return translate("Taxonomy", "{name} (edited)").format(name=taxonomy.name)


def describe_change(old: Taxonomy, new: Taxonomy) -> tuple[str, str]:
    """What an edit of the taxonomy changed, for the undo label ('weight tc_index → lock_in
    0.2 → 0.3')."""
    for a, b in zip(old.indicators, new.indicators, strict=False):
        if a.safe != b.safe or a.critical != b.critical:
            return (f"锚点 {a.id}（{a.safe:g}/{a.critical:g} → {b.safe:g}/{b.critical:g}）",
                    f"anchors of {a.id} ({a.safe:g}/{a.critical:g} → {b.safe:g}/{b.critical:g})")
        if a.weights != b.weights:
            dims = sorted(set(a.weights) | set(b.weights))
            dim = next(d for d in dims if a.weights.get(d) != b.weights.get(d))
            old_w, new_w = a.weights.get(dim, 0.0), b.weights.get(dim, 0.0)
            return (f"权重 {a.id}/{dim}（{old_w:g} → {new_w:g}）",
                    f"weight {a.id}/{dim} ({old_w:g} → {new_w:g})")
    if old.scoring != new.scoring:
        return "阈值", "thresholds"
    return "分类体系", "taxonomy"


def describe_ratings(old: CountryRiskList, new: CountryRiskList) -> str:
    changed = sorted(k for k in set(old.ratings) | set(new.ratings)
                     if old.ratings.get(k) != new.ratings.get(k))
    return ", ".join(
        f"{k} {new.ratings[k]:g}" if k in new.ratings else f"{k} —" for k in changed[:3]
    )


class TaxonomyPage(QWidget):
    rescore_requested = Signal()

    def __init__(
        self, workspace: Workspace, lang_fn: Callable[[], Lang], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("taxonomyPage")
        self.ws = workspace
        self.lang = lang_fn
        self.dimensions: list[str] = [*workspace.taxonomy.capability_dimensions, EXPOSURE]
        self.hash_label = named(QLabel(), "taxonomyHash")
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = named(QLabel(), "taxonomyError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b03a2e;")
        self.table = named(QTableWidget(), "indicatorTable")
        self.table.itemChanged.connect(self._edited)
        self.thresholds: dict[str, QDoubleSpinBox] = {}
        form_box = QWidget()
        self.form = QFormLayout(form_box)
        for key in ("low", "medium", "high", "min_coverage", "assign_threshold"):
            spin = named(QDoubleSpinBox(), f"threshold_{key}")
            spin.setRange(0.0, 1.0)
            spin.setSingleStep(0.05)
            spin.setDecimals(2)
            spin.valueChanged.connect(self._thresholds_changed)
            self.thresholds[key] = spin
            self.form.addRow(key, spin)
        self.country_table = named(QTableWidget(0, 2), "countryRiskTable")
        self.country_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.country_table.itemChanged.connect(self._country_edited)
        self.add_country = named(QPushButton(), "addCountry")
        self.add_country.clicked.connect(self._add_country_row)
        self.save_countries = named(QPushButton(), "saveCountries")
        self.save_countries.clicked.connect(self._save_countries)
        self.country_error = named(QLabel(), "countryError")
        self.country_error.setStyleSheet("color: #b03a2e;")
        country_box = QWidget()
        cb = QVBoxLayout(country_box)
        cb.addWidget(self.country_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_country)
        row.addWidget(self.save_countries)
        row.addStretch(1)
        cb.addLayout(row)
        cb.addWidget(self.country_error)

        self.tabs = named(QTabWidget(), "taxonomyTabs")
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(form_box, "")
        self.tabs.addTab(country_box, "")
        self.profile_name = named(QLineEdit(), "profileName")
        self.save_button = named(QPushButton(), "saveProfile")
        self.save_button.clicked.connect(self.save_profile)
        self.profiles = named(QComboBox(), "profileList")
        self.load_button = named(QPushButton(), "loadProfile")
        self.load_button.clicked.connect(self._load_profile)
        self.reset_button = named(QPushButton(), "resetTaxonomy")
        self.reset_button.clicked.connect(self.reset)
        bar = QHBoxLayout()
        bar.addWidget(self.profile_name, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.profiles, 1)
        bar.addWidget(self.load_button)
        bar.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hash_label)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.apply)
        self._loading = False
        self.bad_cells: set[tuple[int, int]] = set()
        workspace.taxonomy_changed.connect(self._session_changed)
        workspace.session_changed.connect(self._session_changed)

    # --- filling ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lang, tax = self.lang(), self.ws.taxonomy
        self.tabs.setTabText(0, translate("Taxonomy", "Anchors and weights"))
        self.tabs.setTabText(1, translate("Taxonomy", "Thresholds"))
        self.tabs.setTabText(2, translate("Taxonomy", "Country risk list"))
        names = {
            "low": translate("Taxonomy", "Low below"),
            "medium": translate("Taxonomy", "Medium below"),
            "high": translate("Taxonomy", "High below (critical at or above)"),
            "min_coverage": translate("Taxonomy", "Minimum evidence coverage"),
            "assign_threshold": translate("Taxonomy", "Type assigned at score"),
        }
        for key, spin in self.thresholds.items():
            label = self.form.labelForField(spin)
            if isinstance(label, QLabel):
                label.setText(names[key])
        self.profile_name.setPlaceholderText(translate("Taxonomy", "Profile name"))
        self.save_button.setText(translate("Taxonomy", "Save as profile"))
        self.load_button.setText(translate("Taxonomy", "Load profile"))
        self.reset_button.setText(translate("Taxonomy", "Reset to default"))
        self.add_country.setText(translate("Taxonomy", "Add country"))
        self.save_countries.setText(translate("Taxonomy", "Save and re-score"))
        self.country_table.setHorizontalHeaderLabels(
            [
                translate("Taxonomy", "ISO3 code"),
                translate("Taxonomy", "Risk rating (0–1)"),
            ]
        )
        headers = [
            translate("Taxonomy", "Indicator"),
            translate("Taxonomy", "Unit"),
            translate("Taxonomy", "Safe anchor"),
            translate("Taxonomy", "Critical anchor"),
        ]
        headers += [tax.label(d, lang) for d in self.dimensions]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self._refresh_profiles()
        self.load(tax)
        self._load_countries()

    def load(self, taxonomy: Taxonomy) -> None:
        lang = self.lang()
        self._loading = True
        self.bad_cells.clear()
        self.table.setRowCount(len(taxonomy.indicators))
        for r, ind in enumerate(taxonomy.indicators):
            cells: list[str] = [ind.name(lang), ind.unit, f"{ind.safe:g}", f"{ind.critical:g}"]
            cells += [f"{ind.weights[d]:g}" if d in ind.weights else "" for d in self.dimensions]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setData(Qt.ItemDataRole.UserRole, ind.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 220))
        levels, scoring = taxonomy.scoring.levels, taxonomy.scoring
        values = {
            "low": levels.low,
            "medium": levels.medium,
            "high": levels.high,
            "min_coverage": scoring.min_coverage,
            "assign_threshold": scoring.assign_threshold,
        }
        for key, spin in self.thresholds.items():
            spin.setValue(values[key])
        self._loading = False
        self.error.setText("")
        self._show_hash()

    def _session_changed(self) -> None:
        """The session's taxonomy or country list changed (an edit, undo, another project):
        show it, unless the tables already say the same."""
        try:
            shown = self.edited_taxonomy().sha256
        except (ValueError, ValidationError):
            shown = ""
        if shown != self.ws.taxonomy.sha256:
            self.load(self.ws.taxonomy)
        self._load_countries()
        self._show_hash()

    def _show_hash(self) -> None:
        tax = self.ws.taxonomy
        self.hash_label.setText(
            translate("Taxonomy", "Taxonomy “{name}” · content hash sha256 {sha}").format(
                name=taxonomy_display_name(tax), sha=tax.sha256
            )
        )

    def _refresh_profiles(self) -> None:
        self.profiles.clear()
        for name in list_profiles():
            self.profiles.addItem(name)

    # --- editing ------------------------------------------------------------------------------

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        cell = (item.row(), item.column())
        text = item.text().strip()
        ok = True
        if text or item.column() < FIXED_COLS:
            try:
                ok = math.isfinite(float(text))
            except ValueError:
                ok = False
        if ok:
            self.bad_cells.discard(cell)
            item.setBackground(QColor(0, 0, 0, 0))
        else:
            self.bad_cells.add(cell)
            item.setBackground(BAD)
        self._timer.start(RESCORE_DELAY_MS)

    def _thresholds_changed(self, _value: float) -> None:
        if not self._loading:
            self._timer.start(RESCORE_DELAY_MS)

    def edited_taxonomy(self) -> Taxonomy:
        """The taxonomy the tables describe; raises ValueError / ValidationError when invalid."""
        if self.bad_cells:
            raise ValueError(translate("Taxonomy", "Some cells are not numbers."))
        data: dict[str, Any] = self.ws.taxonomy.model_dump()
        indicators = []
        for r, original in enumerate(data["indicators"]):
            ind = dict(original)
            ind["safe"] = float(cell(self.table, r, 2).text())
            ind["critical"] = float(cell(self.table, r, 3).text())
            weights = {}
            for k, dim in enumerate(self.dimensions):
                text = cell(self.table, r, FIXED_COLS + k).text().strip()
                if text:
                    weights[dim] = float(text)
            ind["weights"] = weights
            indicators.append(ind)
        data["indicators"] = indicators
        scoring = dict(data["scoring"])
        scoring["levels"] = {k: self.thresholds[k].value() for k in ("low", "medium", "high")}
        scoring["min_coverage"] = self.thresholds["min_coverage"].value()
        scoring["assign_threshold"] = self.thresholds["assign_threshold"].value()
        data["scoring"] = scoring
        return Taxonomy.model_validate(data)

    def apply(self) -> bool:
        """Validate the edit; when valid, use it and re-score. Returns whether it was applied."""
        try:
            taxonomy = self.edited_taxonomy()
        except ValidationError as exc:
            problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            self.error.setText(
                translate("Taxonomy", "Not applied: {problems}").format(problems=problems)
            )
            return False
        except ValueError as exc:
            self.error.setText(
                translate("Taxonomy", "Not applied: {problems}").format(problems=str(exc))
            )
            return False
        self.error.setText("")
        if taxonomy.sha256 != self.ws.taxonomy.sha256:
            self.use(taxonomy, *describe_change(self.ws.taxonomy, taxonomy))
        return True

    def use(self, taxonomy: Taxonomy, what_zh: str, what_en: str) -> None:
        """Make the taxonomy the session's (one undoable edit; every chain is scored again)."""
        self.ws.submit(lambda s, _p, _c: s.set_taxonomy(taxonomy, what_zh, what_en),
                       parent=self, title=translate("Taxonomy", "Applying the taxonomy"))

    def save_profile(self) -> None:
        name = self.profile_name.text().strip()
        if not valid_profile_name(name):
            self.error.setText(
                translate("Taxonomy", "Give the profile a name (letters, digits, - _ .).")
            )
            return
        if not self.apply():
            return
        path = save_profile(self.edited_taxonomy(), name)
        self._refresh_profiles()
        self.error.setText(translate("Taxonomy", "Saved to {path}").format(path=str(path)))

    def _load_profile(self) -> None:
        name = self.profiles.currentText()
        if not name:
            return
        try:
            taxonomy = load_profile(name)
        except ValueError as exc:
            QMessageBox.warning(self, translate("Taxonomy", "Cannot load the profile"), str(exc))
            return
        self.load(taxonomy)
        self.use(taxonomy, f"分类体系（方案 {name}）", f"taxonomy (profile {name})")

    def reset(self) -> None:
        self.load(default_taxonomy())
        self.use(default_taxonomy(), "分类体系（默认）", "taxonomy (default)")

    # --- country risk list ------------------------------------------------------------------

    def _load_countries(self) -> None:
        self._loading = True
        ratings = self.ws.country_risk.ratings
        self.country_table.setRowCount(len(ratings))
        for r, (iso, rating) in enumerate(sorted(ratings.items())):
            self.country_table.setItem(r, 0, QTableWidgetItem(iso))
            self.country_table.setItem(r, 1, QTableWidgetItem(f"{rating:g}"))
        self._loading = False

    def _add_country_row(self) -> None:
        r = self.country_table.rowCount()
        self._loading = True
        self.country_table.insertRow(r)
        self.country_table.setItem(r, 0, QTableWidgetItem(""))
        self.country_table.setItem(r, 1, QTableWidgetItem(""))
        self._loading = False
        self.country_table.editItem(cell(self.country_table, r, 0))

    def _country_edited(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self.country_list()

    def country_list(self) -> CountryRiskList | None:
        ratings: dict[str, float] = {}
        for r in range(self.country_table.rowCount()):
            iso_item, rating_item = self.country_table.item(r, 0), self.country_table.item(r, 1)
            iso = iso_item.text().strip().upper() if iso_item else ""
            text = rating_item.text().strip() if rating_item else ""
            if not iso and not text:
                continue
            try:
                ratings[iso] = float(text)
            except ValueError:
                self.country_error.setText(
                    translate("Taxonomy", "Row {row}: the rating is not a number.").format(
                        row=r + 1
                    )
                )
                return None
        current = self.ws.country_risk
        try:
            risk = CountryRiskList(
                ratings=ratings, unrated=current.unrated, high_risk=current.high_risk,
                source=current.source,
            )
        except ValidationError as exc:
            self.country_error.setText(
                "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            )
            return None
        self.country_error.setText("")
        return risk

    def _save_countries(self) -> None:
        risk = self.country_list()
        if risk is None or risk == self.ws.country_risk:
            return
        what = describe_ratings(self.ws.country_risk, risk)
        self.ws.submit(lambda s, _p, _c: s.set_country_risk(risk, what), parent=self,
                       title=translate("Taxonomy", "Applying the country ratings"))
        self.country_error.setText(
            translate("Taxonomy", "Applied; {n} countries rated.").format(n=len(risk.ratings))
        )
