# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for the SEPA tests: a realistic payment message and the real sample files."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ontzorgen.sepa.model import PaymentMessage
from tests.sepa.builders import DATA, build_message


@pytest.fixture
def message() -> PaymentMessage:
    """The message of :func:`build_message`."""
    return build_message()


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """Read a real sample file from tests/data/sepa by relative path."""

    def read(relative: str) -> bytes:
        return (DATA / relative).read_bytes()

    return read
