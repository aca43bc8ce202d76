# SPDX-License-Identifier: EUPL-1.2
"""The tenant: a gemeente, its bank account and its policy parameters."""
