"""Where the GUI keeps its settings and autosave files: platformdirs, overridable for tests.

QSettings in INI format under the user config dir (not the registry), so a test can point it at
tmp_path with RISKDESK_CONFIG_DIR and a support engineer can read the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from riskdesk.gui.qt import QByteArray, QSettings

MAX_RECENT = 8


def config_dir() -> Path:
    override = os.environ.get("RISKDESK_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir("riskdesk", False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Unnamed projects and named taxonomy profiles live here (riskdesk.session.places)."""
    from riskdesk.session.places import data_dir as session_data_dir

    return session_data_dir()


def taxonomy_profiles_dir() -> Path:
    path = data_dir() / "taxonomies"
    path.mkdir(parents=True, exist_ok=True)
    return path


class AppSettings:
    """Typed access to the few things the window remembers between sessions."""

    def __init__(self) -> None:
        self._qs = QSettings(str(config_dir() / "riskdesk.ini"), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qs.sync()

    @property
    def language(self) -> str:
        value = self._qs.value("ui/language", "zh")
        return value if value in ("zh", "en") else "zh"

    @language.setter
    def language(self, lang: str) -> None:
        self._qs.setValue("ui/language", lang)

    @property
    def first_start(self) -> bool:
        return self._qs.value("ui/started_before", "false") != "true"

    def mark_started(self) -> None:
        self._qs.setValue("ui/started_before", "true")

    @property
    def analyst(self) -> str:
        return str(self._qs.value("ui/analyst", os.environ.get("USER", "") or ""))

    @analyst.setter
    def analyst(self, name: str) -> None:
        self._qs.setValue("ui/analyst", name)

    def recent_projects(self) -> list[str]:
        value = self._qs.value("files/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if v]

    def add_recent(self, path: str) -> list[str]:
        items = [path, *(p for p in self.recent_projects() if p != path)][:MAX_RECENT]
        self._qs.setValue("files/recent", items)
        return items

    def clear_recent(self) -> None:
        self._qs.setValue("files/recent", [])

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._qs.value("window/geometry")
        state = self._qs.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    @property
    def taxonomy_profile(self) -> str:
        return str(self._qs.value("taxonomy/profile", ""))

    @taxonomy_profile.setter
    def taxonomy_profile(self, name: str) -> None:
        self._qs.setValue("taxonomy/profile", name)

    @property
    def team_address(self) -> str:
        """The team database last connected to (a service name or a URL, never a password)."""
        return str(self._qs.value("team/last_address", ""))

    @team_address.setter
    def team_address(self, address: str) -> None:
        from riskdesk.io.team.connect import refuse_password

        refuse_password(address)
        self._qs.setValue("team/last_address", address)
