# SPDX-License-Identifier: EUPL-1.2
"""Hypothesis strategies for hostile input, and the checks every answer to it must pass."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from ontzorgen.models import Base

# Phrases of pydantic, FastAPI and Python that must never reach a person.
ENGLISH = (
    "Input should",
    "Field required",
    "String should",
    "Value error",
    "List should",
    "Extra inputs",
    "There was an error",
    "Traceback",
    "JSON decode error",
    "should be",
)

# Numbers around every bound: the database's 64 bits, the monthly ceiling, zero.
NUMBERS = st.one_of(
    st.sampled_from([0, -1, 1, 10**6, 10**6 + 1, 10**15, 10**20, -(10**20), 2**63, 2**63 - 1]),
    st.integers(),
    st.floats(allow_nan=False),
)
# Text with what breaks storage or a path: NUL and other control characters, lone surrogates,
# slashes, dots, very long strings.
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "/", "..", ".", "a/b", "x" * 5000]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, ODD_TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside ``doc`` (keys of objects, indexes of lists), the root included."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, valid: Any) -> Any:
    """``valid`` with one to three places replaced, removed or given an unknown field."""
    doc = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            return draw(JSON_VALUES)
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "remove", "extra"]))
        if action == "remove":
            del parent[path[-1]]
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(SCALARS)
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    return doc


@st.composite
def encoded(draw: st.DrawFn, doc: Any) -> bytes:
    """``doc`` as the bytes of a file: UTF-8, another encoding, truncated, or garbage."""
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    kind = draw(st.sampled_from(["utf-8", "cp1252", "utf-16", "truncated", "binary", "empty"]))
    if kind == "binary":
        return draw(st.binary(max_size=200))
    if kind == "empty":
        return b""
    if kind == "truncated":
        data = text.encode("utf-8", "surrogatepass")
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    return text.encode(kind, "replace")


def row_count(engine: Engine) -> int:
    """All rows of every table: what "nothing stored" is measured by."""
    with engine.connect() as connection:
        return sum(
            int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        )


def assert_dutch(text: str) -> None:
    """No English error phrase of the frameworks in text meant for a person."""
    for phrase in ENGLISH:
        assert phrase not in text, f"English {phrase!r} in {text!r}"


def assert_clear_problem(status: int, body: dict[str, Any]) -> None:
    """A 4xx problem+json whose every problem names its field, in Dutch."""
    assert 400 <= status < 500, (status, body)
    assert body["status"] == status
    assert body["detail"]
    assert_dutch(body["title"])
    assert_dutch(body["detail"])
    for param in body.get("invalidParams", []):
        assert param["name"], body
        assert param["reason"], body
        assert_dutch(param["reason"])
