# SPDX-License-Identifier: EUPL-1.2
"""SEPA payment files: pain.001 writer and checker, references, character set, dates.

Pure code: no database, no web framework; only :mod:`ontzorgen.money` from the rest of the
product. See ``docs/sepa.md``.
"""
