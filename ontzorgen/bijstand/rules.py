# SPDX-License-Identifier: EUPL-1.2
"""The citations the rules engine writes on its plan lines, in one place.

Every line of a :class:`~ontzorgen.bijstand.lines.MonthlyPlan` carries one of these short
citations, so a consulent, an accountant or a judge can see which rule made it. The source of
each rule is in ``docs/rules.md``, citing the Participatiewet (wetten.overheid.nl, BWBR0015703). A
citation that starts with ``beleid gemeente`` is a gemeente parameter (the law leaves it to the
gemeente).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ART_18",
    "ART_19_LID_3",
    "ART_21",
    "ART_22A",
    "ART_31_32",
    "ART_44_LID_1",
    "ART_45",
    "ART_45_LID_1",
    "ART_45_LID_3",
    "ART_51",
    "ART_52",
    "ART_54_LID_3",
    "ART_56A_LID_1",
    "ART_56A_LID_2",
    "ART_57",
    "ART_58_LID_2",
    "BELEID_CATEGORIEEN",
    "BELEID_LEEFGELD",
    "BELEID_MINIMUM_LEEFGELD",
    "BELEID_OPT_OUT",
    "BELEID_PRIORITEIT",
    "BELEID_PRO_RATA",
    "PURMEREND_3_2",
    "PURMEREND_3_4",
    "TOESTEMMING",
]

ART_18: Final = "Pw art. 18 lid 2"
ART_19_LID_3: Final = "Pw art. 19 lid 3"
ART_21: Final = "Pw art. 21"
ART_22A: Final = "Pw art. 22a"
ART_31_32: Final = "Pw art. 31 en 32"
ART_44_LID_1: Final = "Pw art. 44 lid 1"
ART_45: Final = "Pw art. 45"
ART_45_LID_1: Final = "Pw art. 45 lid 1"
ART_45_LID_3: Final = "Pw art. 45 lid 3"
ART_51: Final = "Pw art. 51"
ART_52: Final = "Pw art. 52"
ART_54_LID_3: Final = "Pw art. 54 lid 3"  # herziening: a correction of an earlier month
ART_56A_LID_1: Final = "Pw art. 56a lid 1"
ART_56A_LID_2: Final = "Pw art. 56a lid 2"
ART_57: Final = "Pw art. 57"
ART_58_LID_2: Final = "Pw art. 58 lid 2"  # terugvordering: paid too much, a claim
TOESTEMMING: Final = "schriftelijke toestemming belanghebbende"

BELEID_CATEGORIEEN: Final = "beleid gemeente: ingehouden categorieën"
BELEID_PRIORITEIT: Final = "beleid gemeente: volgorde bij tekort"
BELEID_MINIMUM_LEEFGELD: Final = "beleid gemeente: minimum leefgeld"
BELEID_LEEFGELD: Final = "beleid gemeente: uitbetaling leefgeld"
BELEID_PRO_RATA: Final = "beleid gemeente: pro-ratamethode"
BELEID_OPT_OUT: Final = "beleid gemeente: opt-out met vastgelegde reden"

PURMEREND_3_2: Final = "Beleidsplan Purmerend §3.2"
PURMEREND_3_4: Final = "Beleidsplan Purmerend §3.4"
