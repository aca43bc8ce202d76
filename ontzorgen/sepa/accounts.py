# SPDX-License-Identifier: EUPL-1.2
"""IBAN and BIC checks with schwifty, worded so that no account number ends up in a message."""

from __future__ import annotations

from functools import lru_cache

from schwifty import BIC, IBAN
from schwifty.exceptions import (
    InvalidBankCode,
    InvalidBBANChecksum,
    InvalidBranchCode,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)

__all__ = ["bic_for_iban", "bic_for_valid_iban", "bic_problem", "compact_iban", "iban_problem"]


def compact_iban(value: str) -> str:
    """The IBAN without spaces, in capitals (the only form written to a file)."""
    return "".join(value.split()).upper()


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IBAN (checked by schwifty), or None if it is.

    Checks the country, the length, the national BBAN structure and the check digits. The
    message never contains the IBAN.
    """
    compact = compact_iban(value)
    if not compact:
        return "IBAN is leeg"
    if compact != value.strip():
        # Files must carry the compact form; the XSD pattern refuses spaces and lower case.
        return "IBAN moet in hoofdletters zonder spaties"
    try:
        IBAN(compact)
    except InvalidCountryCode:
        return "IBAN-landcode is onbekend"
    except InvalidLength:
        return f"IBAN heeft een verkeerde lengte voor land {compact[:2]}"
    except InvalidStructure:
        return f"IBAN: het rekeningdeel (BBAN) past niet in de nationale opbouw van {compact[:2]}"
    except InvalidChecksumDigits:
        return "IBAN-controlegetal klopt niet"
    except InvalidBBANChecksum:
        return "IBAN: nationaal controlegetal klopt niet"
    except (InvalidBankCode, InvalidBranchCode):
        return "IBAN-bankcode is onbekend"
    except SchwiftyException:
        return "IBAN is ongeldig"
    return None


def bic_problem(value: str) -> str | None:
    """Why ``value`` is not a valid BIC (8 or 11 characters, known country), or None."""
    if value != value.strip().upper() or " " in value:
        return "BIC moet in hoofdletters zonder spaties"
    try:
        BIC(value)
    except InvalidCountryCode:
        return "BIC-landcode is onbekend"
    except InvalidLength:
        return "BIC heeft 8 of 11 tekens"
    except SchwiftyException:
        return "BIC is ongeldig"
    return None


@lru_cache(maxsize=4096)
def _bic_for_bank(sample_iban: str) -> str | None:
    bic = IBAN(sample_iban).bic
    return None if bic is None else str(bic)


def bic_for_iban(iban: str) -> str | None:
    """The BIC of a valid Dutch IBAN's bank (schwifty's bank registry), else None.

    Only Dutch IBANs: for other countries a bank code does not always identify one BIC, and
    SEPA allows IBAN-only payments.
    """
    compact = compact_iban(iban)
    if iban_problem(compact) is not None:
        return None
    return bic_for_valid_iban(compact)


def bic_for_valid_iban(compact: str) -> str | None:
    """:func:`bic_for_iban` for an IBAN already known to be valid and compact (fast path)."""
    if not compact.startswith("NL"):
        return None
    # The bank code is characters 5-8; cache per bank code, not per (personal) IBAN.
    sample = _sample_for_bank_code(compact[4:8])
    return _bic_for_bank(sample) if sample is not None else None


@lru_cache(maxsize=4096)
def _sample_for_bank_code(bank_code: str) -> str | None:
    try:
        return str(IBAN.generate("NL", bank_code=bank_code, account_code="0000000000"))
    except SchwiftyException:
        return None
