"""Write a file so that an existing one is replaced only by a complete new one.

Every OSError that escapes names the target the user asked for (never the hidden temporary file
beside it), so "disk full" or "permission denied" can be reported with the real path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _about_target(exc: OSError, target: Path) -> OSError:
    """The same error, naming the target instead of the temporary file."""
    error = OSError(exc.errno, exc.strerror or str(exc), str(target))
    return error if exc.errno is not None else OSError(f"{target}: {exc}")


def _io_failure(exc: BaseException) -> int | None:
    """The errno of a write failure a library reported in its own type (lxml, used by openpyxl,
    raises SerialisationError("IO_ENOSPC") when the disk is full)."""
    if isinstance(exc, OSError) or type(exc).__name__ != "SerialisationError":
        return None
    name = str(exc).removeprefix("IO_").split()[0] if str(exc).startswith("IO_") else ""
    return getattr(errno, name, None) if name.startswith("E") else None


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's directory; rename it over the target on success.

    On any exception (including cancellation) the temporary file is removed and the target is
    left exactly as it was. An OSError raised inside names the target (`exc.filename`).
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _about_target(exc, target) from None
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            yield tmp
            tmp.chmod(0o644)  # mkstemp makes 0600; a report is an ordinary document
            os.replace(tmp, target)
        except OSError as exc:
            raise _about_target(exc, target) from None
        except Exception as exc:
            code = _io_failure(exc)
            if code is None:
                raise
            raise OSError(code, os.strerror(code), str(target)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
