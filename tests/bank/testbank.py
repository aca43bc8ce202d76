# SPDX-License-Identifier: EUPL-1.2
"""The test bank the tests answer our pain.001 files with (it lives in ontzorgen.sepa.testbank,
because the demo uses it too)."""

from ontzorgen.sepa.testbank import *  # noqa: F403
from ontzorgen.sepa.testbank import __all__ as __all__
