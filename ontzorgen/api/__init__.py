# SPDX-License-Identifier: EUPL-1.2
"""The JSON API (FastAPI): thin routers over the service functions."""
