# SPDX-License-Identifier: EUPL-1.2
"""The pure rules engine of financieel ontzorgen: facts and a period in, a monthly plan out.

Entry points: :func:`ontzorgen.bijstand.plan.make_plan` and
:func:`ontzorgen.bijstand.plan.plan_months`; the facts are in :mod:`ontzorgen.bijstand.facts`,
the norm table in :mod:`ontzorgen.bijstand.norms`, the output in :mod:`ontzorgen.bijstand.lines`.
No database, no I/O except reading the packaged norm table. See ``docs/rules.md``.
"""
