# SPDX-License-Identifier: EUPL-1.2
"""Step definitions of the Dutch feature files (imported by the ``test_*_features`` modules)."""
