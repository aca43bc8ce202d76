# SPDX-License-Identifier: EUPL-1.2
"""The monthly payment run: prepare, approve (four eyes), export, cancel."""
