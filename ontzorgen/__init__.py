# SPDX-License-Identifier: EUPL-1.2
"""ontzorgen: financieel ontzorgen for Dutch gemeenten (Participatiewet art. 56a)."""

__version__ = "0.1.0"
