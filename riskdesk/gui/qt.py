"""The one module that imports PySide6 (like Anki's aqt.qt): the rest of riskdesk.gui imports from here.

Keeping Qt behind one module makes the Qt surface we depend on visible in one place and lets a
version bump or a binding switch happen here.
"""

from __future__ import annotations

import ctypes
import sys
from typing import TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRunnable,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate

# PySide6 6.12 (abi3 wheel) returns None from void methods without taking a reference. On Python
# 3.12+ None is immortal and nothing happens; on 3.11 every setText(), processEvents(), qWait()…
# drops one reference, and once None's count reaches zero the interpreter aborts ("none_dealloc").
# Measured here: 200 calls of QLabel.setText lower sys.getrefcount(None) by exactly 200, and a
# busy processEvents() loop kills the process within seconds. Until PySide fixes it, give None a
# reserve no session can use up (None is never freed anyway).
NONE_REFCOUNT_RESERVE = 1 << 40


def protect_none_refcount() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    if sys.getrefcount(None) < NONE_REFCOUNT_RESERVE:
        ctypes.c_ssize_t.from_address(id(None)).value += NONE_REFCOUNT_RESERVE


protect_none_refcount()
_W = TypeVar("_W", bound=QObject)

__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QActionGroup",
    "QApplication",
    "QBrush",
    "QButtonGroup",
    "QByteArray",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDesktopServices",
    "QDialog",
    "QDialogButtonBox",
    "QDoubleSpinBox",
    "QDragEnterEvent",
    "QDropEvent",
    "QElapsedTimer",
    "QEvent",
    "QFileDialog",
    "QFont",
    "QFontDatabase",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QHBoxLayout",
    "QHeaderView",
    "QInputDialog",
    "QItemSelectionModel",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QMainWindow",
    "QMessageBox",
    "QMimeData",
    "QModelIndex",
    "QObject",
    "QPainter",
    "QPalette",
    "QPen",
    "QPersistentModelIndex",
    "QPlainTextEdit",
    "QPoint",
    "QProgressBar",
    "QProgressDialog",
    "QPushButton",
    "QRadioButton",
    "QRunnable",
    "QScrollArea",
    "QSettings",
    "QShortcut",
    "QShowEvent",
    "QSize",
    "QSortFilterProxyModel",
    "QSpinBox",
    "QSplitter",
    "QStackedWidget",
    "QStatusBar",
    "QStyle",
    "QStyleOptionViewItem",
    "QStyledItemDelegate",
    "QTabWidget",
    "QTableView",
    "QTableWidget",
    "QTableWidgetItem",
    "QTextBrowser",
    "QThreadPool",
    "QTimer",
    "QToolBar",
    "QTranslator",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "cell",
    "is_alive",
    "named",
    "protect_none_refcount",
    "translate",
]


def is_alive(obj: QObject) -> bool:
    """False once the C++ side of a Qt object has been deleted (e.g. during shutdown)."""
    import shiboken6

    return bool(shiboken6.isValid(obj))


def named(widget: _W, name: str) -> _W:
    """Give a widget the objectName tests and style sheets find it by (the stubs lack the kwarg)."""
    widget.setObjectName(name)
    return widget


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a table cell this code filled (None would be a programming error)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"{table.objectName()}: no item at ({row}, {column})")
    return item
