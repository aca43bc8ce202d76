# SPDX-License-Identifier: EUPL-1.2
"""The double-entry ledger: accounts, balanced immutable transactions, periods, balances.

It knows nothing of bijstand, households or SEPA (import-linter keeps it so); docs/ledger.md
explains it for accountants.
"""
