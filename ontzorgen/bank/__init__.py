# SPDX-License-Identifier: EUPL-1.2
"""Bank feedback: importing pain.002 and camt.053/054, payment statuses, decisions on returned
money, and the reconciliation of every run and month to zero. See ``docs/reconciliation.md``."""
