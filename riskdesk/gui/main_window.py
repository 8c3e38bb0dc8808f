"""The main window: page list, menus, toolbar, status bar, shortcuts, recent files, drag-and-drop."""

from __future__ import annotations

import re
from pathlib import Path

from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Lang
from riskdesk.core.paths import DEMO_INVENTORY
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.gui.files import ProjectFiles
from riskdesk.gui.i18n import LanguageSwitcher
from riskdesk.gui.importing import SPREADSHEET_SUFFIXES, ImportFlow
from riskdesk.gui.pages.assessment import AssessmentPage
from riskdesk.gui.pages.dashboard import DashboardPage
from riskdesk.gui.pages.inventory import InventoryPage
from riskdesk.gui.pages.problems import ProblemsPage
from riskdesk.gui.pages.reports import ReportsPage
from riskdesk.gui.pages.scenarios import ScenariosPage
from riskdesk.gui.pages.taxonomy_editor import TaxonomyPage, taxonomy_display_name
from riskdesk.gui.qt import (
    QAction,
    QActionGroup,
    QApplication,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QEvent,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSize,
    QStackedWidget,
    QToolBar,
    QWidget,
    is_alive,
    named,
    translate,
)
from riskdesk.gui.review import ReviewActions
from riskdesk.gui.settings import AppSettings
from riskdesk.gui.team import TeamConnection
from riskdesk.gui.worker import BackgroundOp, wait_for_workers
from riskdesk.gui.workspace import Workspace

DEMO_PATH = DEMO_INVENTORY
PAGES = ("inventory", "assessment", "dashboard", "problems", "taxonomy", "reports", "scenarios")


def page_title(name: str) -> str:
    return {
        "inventory": translate("MainWindow", "Inventory"),
        "assessment": translate("MainWindow", "Assessment"),
        "dashboard": translate("MainWindow", "Dashboard"),
        "problems": translate("MainWindow", "Data problems"),
        "taxonomy": translate("MainWindow", "Taxonomy"),
        "reports": translate("MainWindow", "Reports"),
        "scenarios": translate("MainWindow", "Scenarios"),
    }[name]


def indicator_in_header(column: str, taxonomy: Taxonomy) -> str | None:
    """The indicator a problem's column names ('C import_dependence', '对外依存度'), if any."""
    tokens = {t.casefold() for t in re.split(r"[\s()（）:：,，'\"]+", column) if t}
    tokens.add(column.strip().casefold())
    for ind in taxonomy.indicators:
        names = (ind.id, ind.name_zh, ind.name_en, *ind.aliases)
        if any(n.casefold() in tokens for n in names if n):
            return ind.id
    return None


class MainWindow(QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        languages: LanguageSwitcher,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.ws = workspace
        self.languages = languages
        self.settings = settings
        self.closing = False
        self.force_close = False  # tests and screenshots: close without asking
        self.files = ProjectFiles(self)
        self.importer = ImportFlow(self, workspace, self.lang)
        self.importer.new_project = lambda after: self.files.new_project(after=after)
        workspace.lang = languages.lang

        self.nav = named(QListWidget(), "pageList")
        self.nav.setFixedWidth(150)
        self.stack = named(QStackedWidget(), "pageStack")
        self.inventory_page = InventoryPage(workspace, self.lang)
        self.assessment_page = AssessmentPage(workspace, self.lang, settings)
        self.dashboard_page = DashboardPage(workspace, self.lang)
        self.problems_page = ProblemsPage(workspace, self.lang)
        self.taxonomy_page = TaxonomyPage(workspace, self.lang)
        self.reports_page = ReportsPage(workspace, self.lang)
        self.scenarios_page = ScenariosPage(workspace, self.lang)
        self.pages: dict[
            str,
            InventoryPage | AssessmentPage | DashboardPage | ProblemsPage | TaxonomyPage
            | ReportsPage | ScenariosPage,
        ] = {
            "inventory": self.inventory_page,
            "assessment": self.assessment_page,
            "dashboard": self.dashboard_page,
            "problems": self.problems_page,
            "taxonomy": self.taxonomy_page,
            "reports": self.reports_page,
            "scenarios": self.scenarios_page,
        }
        for name in PAGES:
            self.nav.addItem(name)
            self.stack.addWidget(self.pages[name])
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.source_label = named(QLabel(), "sourceLabel")
        self.taxonomy_label = named(QLabel(), "taxonomyLabel")
        self.statusBar().addWidget(self.source_label, 1)
        self.statusBar().addPermanentWidget(self.taxonomy_label)

        self._build_actions()
        self.team = TeamConnection(self)
        self.review = ReviewActions(self)
        self.inventory_page.open_assessment.connect(self.open_assessment)
        self.inventory_page.import_requested.connect(self.import_dialog)
        self.dashboard_page.chain_clicked.connect(self._select_from_dashboard)
        self.taxonomy_page.rescore_requested.connect(self.rescore)
        self.problems_page.jump_requested.connect(self._jump_to_problem)
        self.importer.imported.connect(self._after_import)
        self.importer.jump_requested.connect(self._jump_to_problem)
        self.assessment_page.saved.connect(
            lambda _key: self.statusBar().showMessage(
                translate("MainWindow", "Assessment saved."), 4000
            )
        )
        self.files.opened.connect(self._opened)
        workspace.inventory_changed.connect(self._update_status)
        workspace.results_changed.connect(self._update_status)
        workspace.taxonomy_changed.connect(self._update_status)
        workspace.session_changed.connect(self._update_status)
        workspace.history_changed.connect(self._update_undo_texts)
        workspace.history_changed.connect(self._update_title)
        workspace.session_changed.connect(self._update_title)
        workspace.edit_failed.connect(self._failed)
        self.resize(1280, 800)
        self.retranslate()
        self.nav.setCurrentRow(0)

    def lang(self) -> Lang:
        return self.languages.lang

    # --- actions and menus ------------------------------------------------------------------

    def _action(
        self,
        name: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: object,
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.act_import = self._action("actionImport", "Ctrl+I", self.import_dialog)
        self.act_new = self._action("actionNewProject", std.New, self.files.new_project)
        self.act_open = self._action("actionOpenProject", std.Open, self.open_project_dialog)
        self.act_save = self._action("actionSaveProject", std.Save, self.files.save)
        self.act_save_as = self._action("actionSaveProjectAs", "Ctrl+Shift+S",
                                        self.files.save_as_dialog)
        self.act_close = self._action("actionCloseProject", std.Close, self.files.close_project)
        self.act_rescore = self._action("actionRescore", "F5", self.rescore)
        self.act_assess = self._action("actionAssess", "Ctrl+E", self._assess_current)
        self.act_export = self._action("actionExport", "Ctrl+P", self._export_selected)
        self.act_analyst = self._action("actionAnalyst", None, self._ask_analyst)
        self.act_quit = self._action("actionQuit", std.Quit, self.close)
        self.act_undo = self._action("actionUndo", std.Undo, self.ws.undo)
        self.act_redo = self._action("actionRedo", std.Redo, self.ws.redo)
        self.act_zh = self._action("actionChinese", None, lambda: self.set_language("zh"))
        self.act_en = self._action("actionEnglish", None, lambda: self.set_language("en"))
        group = QActionGroup(self)
        for act in (self.act_zh, self.act_en):
            act.setCheckable(True)
            group.addAction(act)
        self.act_about = self._action("actionAbout", None, self._about)
        self.page_actions = []
        for i, name in enumerate(PAGES):
            act = self._action(
                f"actionPage_{name}", f"Ctrl+{i + 1}", lambda _=False, n=name: self.show_page(n)
            )
            self.page_actions.append(act)

        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_recent = self.menu_file.addMenu("")
        self.menu_recent.setObjectName("menuRecent")
        self.menu_file.addAction(self.act_new)
        self.menu_file.addAction(self.act_open)
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addAction(self.act_save)
        self.menu_file.addAction(self.act_save_as)
        self.menu_file.addAction(self.act_close)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_import)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_export)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_analyst)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = bar.addMenu("")
        self.menu_edit.addAction(self.act_undo)
        self.menu_edit.addAction(self.act_redo)
        self.menu_assess = bar.addMenu("")
        self.menu_assess.addAction(self.act_assess)
        self.menu_assess.addAction(self.act_rescore)
        self.menu_view = bar.addMenu("")
        for act in self.page_actions:
            self.menu_view.addAction(act)
        self.menu_view.addSeparator()
        self.menu_lang = self.menu_view.addMenu("")
        self.menu_lang.addAction(self.act_zh)
        self.menu_lang.addAction(self.act_en)
        self.menu_help = bar.addMenu("")
        self.menu_help.addAction(self.act_about)

        self.toolbar = named(QToolBar(), "mainToolbar")
        self.toolbar.setIconSize(QSize(16, 16))
        for act in (
            self.act_new,
            self.act_open,
            self.act_save,
            self.act_import,
            self.act_assess,
            self.act_rescore,
            self.act_export,
        ):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_undo)
        self.toolbar.addAction(self.act_redo)
        self.addToolBar(self.toolbar)

    def _rebuild_recent(self) -> None:
        self.menu_recent.clear()
        recent = self.settings.recent_projects()
        for path in recent:
            act = self.menu_recent.addAction(Path(path).name)
            act.setToolTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
            act.setEnabled(Path(path).resolve() != self.ws.session.path.resolve())
        if recent:
            self.menu_recent.addSeparator()
            clear = self.menu_recent.addAction(translate("MainWindow", "Clear list"))
            clear.triggered.connect(self._clear_recent)
        else:
            empty = self.menu_recent.addAction(translate("MainWindow", "(none yet)"))
            empty.setEnabled(False)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._rebuild_recent()

    # --- language -------------------------------------------------------------------------

    def set_language(self, lang: Lang) -> None:
        if lang == self.languages.lang:
            return
        self.languages.install(lang)  # Qt sends LanguageChange to every widget
        self.ws.lang = lang
        self.settings.language = lang
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self._update_title()
        for i, name in enumerate(PAGES):
            self.nav.item(i).setText(page_title(name))
            self.page_actions[i].setText(page_title(name))
        self.menu_file.setTitle(translate("MainWindow", "&File"))
        self.menu_recent.setTitle(translate("MainWindow", "Recent files"))
        self.menu_edit.setTitle(translate("MainWindow", "&Edit"))
        self.menu_assess.setTitle(translate("MainWindow", "&Assessment"))
        self.menu_view.setTitle(translate("MainWindow", "&View"))
        self.menu_lang.setTitle(translate("MainWindow", "Language"))
        self.menu_help.setTitle(translate("MainWindow", "&Help"))
        self.act_import.setText(translate("MainWindow", "Import spreadsheet…"))
        self.act_new.setText(translate("MainWindow", "New project"))
        self.act_open.setText(translate("MainWindow", "Open project…"))
        self.act_save.setText(translate("MainWindow", "Save project"))
        self.act_save_as.setText(translate("MainWindow", "Save project as…"))
        self.act_close.setText(translate("MainWindow", "Close project"))
        self.act_assess.setText(translate("MainWindow", "Assess selected chain"))
        self.act_rescore.setText(translate("MainWindow", "Re-score all"))
        self.act_export.setText(translate("MainWindow", "Export reports…"))
        self.act_quit.setText(translate("MainWindow", "Quit"))
        self.act_analyst.setText(translate("MainWindow", "Analyst name…"))
        self.act_about.setText(translate("MainWindow", "About riskdesk"))
        self.team.retranslate()
        self.review.retranslate()
        self.act_zh.setText("中文")
        self.act_en.setText("English")
        (self.act_zh if self.lang() == "zh" else self.act_en).setChecked(True)
        self._update_undo_texts()
        self._rebuild_recent()
        for page in self.pages.values():
            page.retranslate()
        self._update_status()

    def _update_undo_texts(self, *_args: object) -> None:
        if not is_alive(self.act_undo) or self.closing:
            return  # shutting down: the session is being closed
        session = self.ws.session
        undo_label = session.undo_label(self.lang()) if session.can_undo else None
        redo_label = session.redo_label(self.lang()) if session.can_redo else None
        self.act_undo.setEnabled(undo_label is not None)
        self.act_redo.setEnabled(redo_label is not None)
        undo, redo = translate("MainWindow", "Undo"), translate("MainWindow", "Redo")
        self.act_undo.setText(f"{undo} {undo_label or ''}".strip())
        self.act_redo.setText(f"{redo} {redo_label or ''}".strip())

    def _update_title(self, *_args: object) -> None:
        if self.closing:
            return
        self.setWindowTitle(
            translate("MainWindow", "{project}[*] — riskdesk industrial chain security "
                                    "assessment").format(project=self.files.title())
        )
        self.setWindowModified(self.files.needs_saving())

    # --- pages ------------------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def open_assessment(self, key: ChainKey) -> None:
        self.ws.select(key)
        self.assessment_page.start(key)
        self.show_page("assessment")

    def _assess_current(self) -> None:
        keys = self.inventory_page.selected_keys()
        key = keys[0] if keys else self.ws.selected
        if key is None and len(self.ws.inventory):
            key = self.ws.inventory.key(0)
        if key is not None:
            self.open_assessment(key)

    def _export_selected(self) -> None:
        """Reports for the chains selected in the inventory (all when none is selected)."""
        chosen = {key[0] for key in self.inventory_page.selected_keys()}
        self.show_page("reports")
        if chosen:
            self.reports_page.check_only(chosen)

    def _ask_analyst(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            translate("MainWindow", "Analyst name"),
            translate(
                "MainWindow", "Name recorded with expert values, decisions and the audit trail:"
            ),
            text=self.settings.analyst,
        )
        if ok:
            self.set_analyst(name)

    def set_analyst(self, name: str) -> None:
        self.settings.analyst = name.strip()
        self.ws.session.set_user(name)

    def _select_from_dashboard(self, key: ChainKey) -> None:
        self.ws.select(key)
        self.inventory_page.select_keys([key])

    def _update_status(self) -> None:
        ws = self.ws
        n = len(ws.inventory)
        source = (ws.session.path.name if not ws.session.is_untitled
                  else translate("MainWindow", "untitled project"))
        if ws.run is None:
            scored = translate("MainWindow", "not scored")
        elif ws.session.stale:
            scored = translate("MainWindow", "scoring again…")
        else:
            scored = translate("MainWindow", "scored")
        self.source_label.setText(
            translate("MainWindow", "{source} · {n} rows · {scored}").format(
                source=source, n=n, scored=scored
            )
        )
        name = taxonomy_display_name(ws.taxonomy)
        self.taxonomy_label.setText(
            translate("MainWindow", "Taxonomy {name} · {sha}").format(
                name=name, sha=ws.taxonomy.sha256[:12]
            )
        )

    # --- import and scoring -----------------------------------------------------------------

    def import_dialog(self) -> None:
        filters = (
            translate("MainWindow", "Spreadsheets")
            + " ("
            + " ".join(f"*{s}" for s in SPREADSHEET_SUFFIXES)
            + ")"
        )
        path, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Import spreadsheet"), "", filters
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, preview: bool = True) -> None:
        self.importer.start(path, preview=preview)

    def _after_import(self, path: str) -> None:
        if Path(path) != DEMO_PATH:
            self.settings.add_recent(path)
            self._rebuild_recent()
        else:
            self._use_demo_country_list()
        self.show_page("inventory")

    def _use_demo_country_list(self) -> None:
        """The demo is assessed with its own country list, as `riskdesk demo` does; both are the
        demo's starting point, not edits of the analyst's."""
        from riskdesk.core.paths import DEMO_COUNTRY_RISK
        from riskdesk.core.trade import CountryRiskList

        scoring = self.ws.taxonomy.scoring
        risk = CountryRiskList.load(DEMO_COUNTRY_RISK, unrated=scoring.unrated_country_risk,
                                    high_risk=scoring.high_risk_country)

        def done(_change: object) -> None:
            self.files.baseline_edits = self.ws.session.edit_count()
            self._update_title()

        self.ws.submit(lambda s, _p, _c: s.set_country_risk(risk, DEMO_COUNTRY_RISK.name),
                       on_done=done)

    def _jump_to_problem(self, row: int, column: str) -> None:
        """A located problem opens where it can be fixed: an indicator cell in the data check,
        anything else as the row in the inventory."""
        indicator = indicator_in_header(column, self.ws.taxonomy)
        if indicator is None:
            self.show_page("inventory")
            self.inventory_page.focus_cell(row)
            return
        self.open_assessment(self.ws.inventory.key(row))
        self.assessment_page.go(1)
        self.assessment_page.steps[1].focus_indicator(indicator)  # type: ignore[attr-defined]

    def open_path(self, path: Path) -> None:
        if path.suffix.lower() == ".rdproj":
            self.open_project(path)
        else:
            self.import_file(path)

    def load_demo(self, path: Path) -> BackgroundOp:
        """The bundled demo (a trusted file) is read in a worker without the preview step and
        imported into the (new, unnamed) project shown."""
        return self.importer.start(path, preview=False, isolated=False, mode="replace")

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("MainWindow", "Open project"),
            "",
            translate("MainWindow", "riskdesk projects") + " (*.rdproj)",
        )
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> BackgroundOp | None:
        return self.files.open_path(path)

    def save_project_as(self, path: Path) -> BackgroundOp:
        return self.files.save_as(path)

    def _opened(self, path: str) -> None:
        session = self.ws.session
        if not session.is_untitled and not session.project.is_team:
            self.settings.add_recent(path)
        self._rebuild_recent()
        self._update_status()
        self._update_title()
        recovery = session.project.recovery
        if recovery is not None:
            self.statusBar().showMessage(recovery.message(self.lang()), 15000)
        if session.run is None and len(session.inventory):
            self.rescore()

    def prepare_screenshot(self, page: str) -> None:
        """For docs: the wizard is shown at its result step for the highest-risk chain; the
        scenarios page with the bundled library run."""
        if page == "scenarios":
            self.scenarios_page.prepare_screenshot()
            return
        if page != "assessment" or self.ws.run is None or not self.ws.run.chains:
            return
        ranked = sorted(self.ws.run.chains, key=lambda r: (-(r.primary_score or 0.0), r.chain_id))
        self.open_assessment(ranked[0].key)
        self.assessment_page.go(3)

    def rescore(self) -> BackgroundOp | None:
        if not len(self.ws.inventory):
            return None
        return self.ws.rescore(self, translate("MainWindow", "Scoring chains"))

    def _failed(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title or translate("MainWindow", "Not saved"), message)

    def _about(self) -> None:
        from riskdesk import __version__

        QMessageBox.about(
            self,
            translate("MainWindow", "About riskdesk"),
            translate(
                "MainWindow",
                "riskdesk {version}: industrial-chain security assessment by "
                "capability type (Li Wei & He Jun).",
            ).format(version=__version__),
        )

    # --- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(Path(u.toLocalFile()).suffix.lower() in SPREADSHEET_SUFFIXES for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in SPREADSHEET_SUFFIXES:
                event.acceptProposedAction()
                self.import_file(path)
                return
        event.ignore()

    # --- shutdown ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.assessment_page.flush_draft()
        if not self.force_close and not self.files.confirm_leave():
            event.ignore()
            return
        self.closing = True
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.ws.cancel_background()
        self.reports_page.cancel()
        self.scenarios_page.cancel()
        self.importer.cancel()
        self.team.close()
        wait_for_workers(10_000)
        QApplication.processEvents()
        self.ws.session.close(discard=self.files._discardable())
        super().closeEvent(event)
