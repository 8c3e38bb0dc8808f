"""Problems opening or editing a project, told to the user in Chinese and English."""

from __future__ import annotations

from riskdesk.core.errors import Location, UserError


class ProjectError(UserError):
    """A project problem for the user: one sentence in each language (str() gives English)."""

    def __init__(self, message_en: str, message_zh: str, *, code: str = "project_error",
                 file: str | None = None) -> None:
        super().__init__(code, message_zh, message_en, location=Location(file=file))


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
