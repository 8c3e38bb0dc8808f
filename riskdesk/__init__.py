"""riskdesk — industrial-chain security assessment by capability type."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("riskdesk")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

__all__ = ["__version__"]
