# SPDX-License-Identifier: EUPL-1.2
"""The double-entry ledger: accounts, transactions, postings, periods and balances.

It knows nothing of bijstand, households or SEPA: a sub-account is named by a generic subject
such as ``"household:42"``. docs/ledger.md explains it for an accountant.
"""
