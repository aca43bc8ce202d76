# SPDX-License-Identifier: EUPL-1.2
"""budgetcoach: leertraject, ZRM Financiën, afbouwplan and signals (a later issue).

It uses ontzorgen's service functions; ontzorgen never imports budgetcoach (import-linter).
"""
