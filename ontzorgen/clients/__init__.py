# SPDX-License-Identifier: EUPL-1.2
"""Households, persons, payees and vaste-last contracts; the import; the facts loader."""
