"""Problems opening or editing a project, told to the user in Chinese and English."""

from __future__ import annotations

from riskdesk.core.models import Lang


class ProjectError(Exception):
    """A project problem for the user: one sentence in each language (str() gives English)."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


class ProjectLockedError(ProjectError):
    """Another riskdesk (this or another machine) has the project open for writing."""

    def __init__(self, path: str, holder: str) -> None:
        super().__init__(
            f"{path} is already open in another riskdesk ({holder}); close it there, "
            "or open this project read-only",
            f"{path} 已在另一个 riskdesk 中打开（{holder}）；"
            "请先在那里关闭，或以只读方式打开本项目",
        )
        self.holder = holder


class ReadOnlyProjectError(ProjectError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} is open read-only; changes cannot be saved",
            f"{path} 以只读方式打开，无法保存修改",
        )
