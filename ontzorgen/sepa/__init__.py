# SPDX-License-Identifier: EUPL-1.2
"""SEPA files: pain.001 writer and checker, references, character set, dates, and readers for
the bank's answers (pain.002, camt.053, camt.054; see ``docs/bank-files.md``).

Pure code: no database, no web framework; only :mod:`ontzorgen.money` from the rest of the
product. See ``docs/sepa.md``.
"""
