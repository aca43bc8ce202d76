# SPDX-License-Identifier: EUPL-1.2
"""``reports/features.md``: each Functionaliteit with its source and its results per backend.

A pytest plugin. ``tests/features/conftest.py`` registers it; it can also be loaded on the
xdist controller with ``-p tests.features.bdd_report`` (needed for pytest-bdd's cucumber JSON
under xdist, see below). Registered once whichever way it comes in.

How it works under pytest-xdist: each BDD item gets its feature, source, scenario and backend
as ``user_properties`` at collection, so they travel with every report. Outcomes are gathered
in ``pytest_runtest_logreport`` wherever the plugin runs. A worker writes its results as a
fragment and merges all fragments of the run under a file lock, so the last worker to finish
writes the whole table even when the controller never loads ``tests/features/conftest.py``
(``pytest -n auto`` with ``testpaths``); a controller that has the plugin writes the table
last, from every report.

pytest-bdd 9 keeps the cucumber JSON data of a report in a registry on the worker, so under
xdist ``--cucumberjson`` writes ``[]``. When that option is given, the serialized scenario is
put in ``user_properties`` too, and the controller puts it back in pytest-bdd's registry.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature
from pytest_bdd.reporting import ReportContext, test_report_context_registry
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

PLUGIN_NAME = "ontzorgen-features-report"
REPORT_ENV = "ONTZORGEN_FEATURES_REPORT"
PROPERTY = "bdd"
CUCUMBER_PROPERTY = "pytest_bdd_report"
NO_BACKEND = "-"


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One BDD test case and how it ended: ``passed``, ``failed`` or ``skipped``."""

    feature: str
    source: str
    path: str
    scenario: str
    backend: str
    outcome: str


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One line of the table: a feature on one backend."""

    feature: str
    source: str
    backend: str
    scenarios: int
    passed: int
    failed: int
    skipped: int


def source_line(description: str) -> str:
    """The first line of a feature's description, up to where its quotation starts."""
    for line in description.splitlines():
        text = line.strip()
        if text:
            for opening in (": ", ', "'):
                text = text.split(opening, 1)[0]
            return text.strip().rstrip(":")
    return "(geen bron)"


def summarize(results: Iterable[ScenarioResult]) -> list[FeatureRow]:
    """Count the results per feature and backend, in feature-file order."""
    groups: dict[tuple[str, str], list[ScenarioResult]] = {}
    for result in sorted(results, key=lambda r: (r.path, r.feature, r.backend)):
        groups.setdefault((result.path, result.backend), []).append(result)
    rows = []
    for (_, backend), members in groups.items():
        outcomes = [m.outcome for m in members]
        rows.append(
            FeatureRow(
                feature=members[0].feature,
                source=members[0].source,
                backend=backend,
                scenarios=len(members),
                passed=outcomes.count("passed"),
                failed=outcomes.count("failed"),
                skipped=outcomes.count("skipped"),
            )
        )
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: Iterable[ScenarioResult]) -> str:
    """The Markdown report: the table, then every scenario that did not pass."""
    results = list(results)
    lines = [
        "# Functionaliteiten",
        "",
        "| Functionaliteit | bron | backend | scenario's | geslaagd | gefaald | overgeslagen |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in summarize(results):
        lines.append(
            f"| {_cell(row.feature)} | {_cell(row.source)} | {row.backend} | {row.scenarios} "
            f"| {row.passed} | {row.failed} | {row.skipped} |"
        )
    failed = sorted(
        (r for r in results if r.outcome == "failed"), key=lambda r: (r.path, r.scenario)
    )
    lines += ["", f"Totaal: {len(results)} scenario's, {len(failed)} gefaald.", ""]
    if failed:
        lines += ["## Gefaald", ""]
        lines += [f"- {r.feature} — {r.scenario} ({r.backend})" for r in failed]
        lines.append("")
    return "\n".join(lines)


def write_report(path: Path, results: Iterable[ScenarioResult]) -> None:
    """Write the Markdown report (atomically: a reader never sees half a table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(render(results), encoding="utf-8")
    partial.replace(path)


def item_properties(item: pytest.Item) -> dict[str, str] | None:
    """Feature, source, scenario and backend of a pytest-bdd test item (None for others)."""
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(item, "obj", None))
    if template is None:
        return None
    feature: Feature = template.feature
    callspec = getattr(item, "callspec", None)
    params = {} if callspec is None else callspec.params
    example = params.get("_pytest_bdd_example")
    scenario = template.name
    if example:
        scenario += " [" + ", ".join(str(v) for v in example.values()) + "]"
    return {
        "feature": feature.name,
        "source": source_line(feature.description),
        "path": feature.rel_filename,
        "scenario": scenario,
        "backend": str(params.get("backend", NO_BACKEND)),
    }


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class FeaturesReport:
    """Collects the outcome of every BDD test and writes the report at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.properties: dict[str, dict[str, str]] = {}
        self.outcomes: dict[str, str] = {}
        configured = os.environ.get(REPORT_ENV)
        self.path = Path(configured) if configured else config.rootpath / "reports/features.md"
        cucumber = config.getoption("cucumber_json_path", None)
        if cucumber and not hasattr(config, "workerinput"):
            Path(cucumber).parent.mkdir(parents=True, exist_ok=True)  # pytest-bdd does not

    # -- collection and reports ------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            properties = item_properties(item)
            if properties is not None:
                item.user_properties.append((PROPERTY, json.dumps(properties)))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        context = test_report_context_registry.get(report)
        if context is not None and self.config.getoption("cucumber_json_path", None):
            report.user_properties.append(
                (CUCUMBER_PROPERTY, {"scenario": context.scenario, "name": context.name})
            )
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        cucumber = properties.get(CUCUMBER_PROPERTY)
        if isinstance(cucumber, dict) and report not in test_report_context_registry:
            test_report_context_registry[report] = ReportContext(**cucumber)
        if PROPERTY not in properties:
            return
        self.properties[report.nodeid] = json.loads(str(properties[PROPERTY]))
        previous = self.outcomes.get(report.nodeid)
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped and previous is None:
            self.outcomes[report.nodeid] = "skipped"
        elif report.when == "call" and previous is None:
            self.outcomes[report.nodeid] = "passed"

    def results(self) -> list[ScenarioResult]:
        return [
            ScenarioResult(**self.properties[nodeid], outcome=outcome)
            for nodeid, outcome in self.outcomes.items()
        ]

    # -- writing ---------------------------------------------------------------------------

    @property
    def parts(self) -> Path:
        return self.path.parent / ".features-parts"

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workerinput = getattr(self.config, "workerinput", None)
        if workerinput is not None:
            self._merge_worker(str(workerinput["testrunuid"]), str(workerinput["workerid"]))
        elif self.outcomes:
            # Without xdist, or the xdist controller (it finishes after every worker and has
            # seen every report): the complete table.
            write_report(self.path, self.results())

    def _merge_worker(self, run: str, worker: str) -> None:
        """Write this worker's fragment, then the report from every fragment of this run."""
        directory = self.parts / run
        with _locked(self.parts):
            directory.mkdir(parents=True, exist_ok=True)
            fragment = [asdict(r) for r in self.results()]
            (directory / f"{worker}.json").write_text(json.dumps(fragment), encoding="utf-8")
            merged = [
                ScenarioResult(**row)
                for part in sorted(directory.glob("*.json"))
                for row in json.loads(part.read_text(encoding="utf-8"))
            ]
            if merged:
                write_report(self.path, merged)
            for old in self.parts.iterdir():
                if old.is_dir() and old != directory and time.time() - old.stat().st_mtime > 86400:
                    shutil.rmtree(old, ignore_errors=True)


def register(config: pytest.Config) -> None:
    """Register the report once (from the conftest, from ``-p``, or both)."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(FeaturesReport(config), PLUGIN_NAME)


def pytest_configure(config: pytest.Config) -> None:
    register(config)
