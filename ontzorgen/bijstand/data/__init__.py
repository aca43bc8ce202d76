# SPDX-License-Identifier: EUPL-1.2
"""Packaged data of the rules engine: the effective-dated table of netto normbedragen."""
