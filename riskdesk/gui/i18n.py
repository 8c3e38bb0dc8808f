"""UI language (Qt .ts/.qm catalogues) and the CJK font that keeps Chinese from showing as boxes.

Source strings are English; Chinese, the default, comes from translations/riskdesk_zh_CN.qm.
Rebuild it after editing strings (documented in docs/gui.md):

    pyside6-lupdate riskdesk/gui -extensions py -ts riskdesk/gui/translations/riskdesk_zh_CN.ts
    pyside6-lrelease riskdesk/gui/translations/riskdesk_zh_CN.ts

Domain labels (types, dimensions, indicators, strategies) are not here: they live in the taxonomy
data in both languages.
"""

from __future__ import annotations

from pathlib import Path

from riskdesk.core.models import Lang
from riskdesk.gui.qt import QApplication, QFont, QFontDatabase, QLocale, QTranslator

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
CATALOGUE = "riskdesk_zh_CN"
_SYSTEM_CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)


class LanguageSwitcher:
    """Installs and removes the application's translators; widgets re-read texts on LanguageChange."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self.lang: Lang = "en"

    def install(self, lang: Lang) -> None:
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        if lang == "zh":
            ours = QTranslator(self._app)
            if not ours.load(CATALOGUE, str(TRANSLATIONS_DIR)):
                raise FileNotFoundError(TRANSLATIONS_DIR / f"{CATALOGUE}.qm")
            self._translators.append(ours)
            qt_base = QTranslator(self._app)
            qt_dir = _qt_translations_dir()
            if qt_dir and qt_base.load("qtbase_zh_CN", qt_dir):
                self._translators.append(qt_base)
            for translator in self._translators:
                self._app.installTranslator(translator)
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.lang = lang


def _qt_translations_dir() -> str | None:
    from PySide6.QtCore import QLibraryInfo

    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return path if path and Path(path).is_dir() else None


def cjk_font_file() -> Path | None:
    """The bundled CJK font (reports' choice, so screen and PDF agree), else a known system one."""
    try:
        from riskdesk.reports.fonts import cjk_font_path

        bundled = cjk_font_path()
        if bundled is not None and Path(bundled).is_file():
            return Path(bundled)
    except (ImportError, OSError, ValueError):
        pass
    assets = Path(__file__).resolve().parents[2] / "assets" / "fonts"
    for pattern in ("*.ttf", "*.ttc", "*.otf"):
        for path in sorted(assets.glob(pattern)):
            return path
    return next((p for p in _SYSTEM_CJK_FONTS if p.is_file()), None)


def install_cjk_font(app: QApplication) -> str | None:
    """Register the CJK font with Qt and put it in the app font's fallback list; returns its family."""
    path = cjk_font_file()
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = families[0]
    font = QFont(app.font())
    font.setFamilies([font.family(), family])
    app.setFont(font)
    return family
