# SPDX-License-Identifier: EUPL-1.2
"""The client's month, as data: what came in, what went to whom, what reached their own
account (:mod:`ontzorgen.statements.month`). The pages render it as HTML and PDF."""
