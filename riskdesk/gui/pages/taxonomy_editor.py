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
    load_country_risk,
    load_profile,
    save_country_risk,
    save_profile,
    valid_profile_name,
)
from riskdesk.gui.workspace import Workspace

BAD = QColor("#f4a3a3")
RESCORE_DELAY_MS = 400
FIXED_COLS = 4  # indicator, unit, safe, critical


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
        self.country_risk: CountryRiskList | None = None
        try:
            self.country_risk = load_country_risk()
        except ValueError as exc:
            self.country_error.setText(str(exc))
        if self.country_risk is not None:
            workspace.country_risk = self.country_risk
        workspace.taxonomy_changed.connect(self._show_hash)

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

    def _show_hash(self) -> None:
        tax = self.ws.taxonomy
        self.hash_label.setText(
            translate("Taxonomy", "Taxonomy “{name}” · content hash sha256 {sha}").format(
                name=self.ws.taxonomy_profile or tax.name, sha=tax.sha256
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
            self.ws.set_taxonomy(taxonomy, translate("Taxonomy", "edited"))
            self.rescore_requested.emit()
        return True

    def save_profile(self) -> None:
        name = self.profile_name.text().strip()
        if not valid_profile_name(name):
            self.error.setText(
                translate("Taxonomy", "Give the profile a name (letters, digits, - _ .).")
            )
            return
        if not self.apply():
            return
        path = save_profile(self.ws.taxonomy, name)
        self.ws.set_taxonomy(load_profile(name), name)
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
        self.ws.set_taxonomy(taxonomy, name)
        self.load(taxonomy)
        self.rescore_requested.emit()

    def reset(self) -> None:
        self.ws.set_taxonomy(default_taxonomy(), "")
        self.load(self.ws.taxonomy)
        self.rescore_requested.emit()

    # --- country risk list ------------------------------------------------------------------

    def _load_countries(self) -> None:
        self._loading = True
        ratings = self.country_risk.ratings if self.country_risk else {}
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
        scoring = self.ws.taxonomy.scoring
        try:
            risk = CountryRiskList(
                ratings=ratings,
                unrated=scoring.unrated_country_risk,
                high_risk=scoring.high_risk_country,
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
        if risk is None:
            return
        save_country_risk(risk)
        self.country_risk = risk
        self.ws.country_risk = risk
        self.country_error.setText(
            translate("Taxonomy", "Saved; {n} countries rated.").format(n=len(risk.ratings))
        )
        self.rescore_requested.emit()
