# SPDX-License-Identifier: EUPL-1.2
"""ontzorgen: financieel ontzorgen for Dutch gemeenten (Participatiewet art. 56a)."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One version number: pyproject.toml's, as installed (the API, /healthz and the CLI show it).
    __version__ = version("ontzorgen")
except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
    __version__ = "0+unknown"
