"""A pytest plugin: each catalog test is a pytest item.

Catalogs come from files, ``pytest --flowspec-source flow.yaml`` (repeatable),
or from code, through the ``pytest_flowspec_catalogs`` hook in a
``conftest.py``::

    import flowspec

    def pytest_flowspec_catalogs(config):
        return {"pipeline": build_catalog()}   # a name for each Catalog

Each catalog's tests run once, locally (``Catalog.run_tests``); each test
is then reported as an item named ``<catalog>::<test>``, and a failure shows
the step and the documents that did not match. ``-k`` selects tests by name
as for any item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, List, Mapping, Optional, Union

import pytest

from flowspec import Catalog
from flowspec._types import TestRunResult, TestRunResults

__all__ = ["CatalogTestFailed", "CatalogTestItem"]


class CatalogTestFailed(Exception):
    """A catalog test failed; the message is its part of the report."""


class _Hooks:
    """The hook that conftest files implement."""

    @pytest.hookspec(firstresult=False)
    def pytest_flowspec_catalogs(self, config: pytest.Config) -> Mapping[str, Catalog]:  # type: ignore[empty-body]
        """Catalogs whose tests to run, by a name shown in each item's id."""


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(_Hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flowspec", "flowspec catalog tests")
    group.addoption(
        "--flowspec-source",
        action="append",
        default=[],
        metavar="FILE",
        help="Run the tests of this catalog (flow.yaml) as pytest items (repeatable).",
    )


class _Run:
    """One catalog, whose tests run once for all of its items."""

    def __init__(self, name: str, catalog: Union[Catalog, str]) -> None:
        self.name = name
        self.catalog = catalog
        self.results: Optional[TestRunResults] = None

    def load(self) -> Catalog:
        if isinstance(self.catalog, str):
            self.catalog = Catalog.load(self.catalog)
        return self.catalog

    def result(self, test: str) -> TestRunResult:
        if self.results is None:
            self.results = self.load().run_tests()
        for r in self.results["tests"]:
            if r["test"] == test:
                return r
        raise CatalogTestFailed(f"test {test} did not run")


class CatalogTestItem(pytest.Item):
    """One catalog test."""

    def __init__(self, *, run: _Run, test: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # pyright: ignore[reportUnknownMemberType]
        self.run = run
        self.test = test

    def runtest(self) -> None:
        result = self.run.result(self.test)
        if not result["passed"]:
            failure = result.get("failure")
            raise CatalogTestFailed(failure["message"] if failure else "failed")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CatalogTestFailed):
            result = self.run.results and next(
                (r for r in self.run.results["tests"] if r["test"] == self.test), None
            )
            failure = result.get("failure") if result else None
            where = f"{result['path']} step {failure['step']} ({failure['pointer']})\n" if result and failure else ""
            return f"catalog test {self.test} failed at {where}{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Union[str, Path], Optional[int], str]:
        return self.path, None, f"{self.run.name}::{self.test}"


class _CatalogNode(pytest.Collector):
    """The items of one catalog."""

    def __init__(self, *, run: _Run, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run = run

    def collect(self) -> Iterable[CatalogTestItem]:
        catalog = self.run.load()
        for test in list(catalog.tests):
            yield CatalogTestItem.from_parent(  # pyright: ignore[reportUnknownMemberType]
                self, name=test, run=self.run, test=test
            )


def _runs(config: pytest.Config) -> List[_Run]:
    sources: List[str] = config.getoption("flowspec_source") or []
    runs = [_Run(source, source) for source in sources]
    hooked: List[Mapping[str, Catalog]] = config.hook.pytest_flowspec_catalogs(config=config) or []
    for given in hooked:
        for name, catalog in dict(given).items():
            runs.append(_Run(name, catalog))
    return runs


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: List[pytest.Item]) -> None:
    """Adds an item per catalog test, after pytest's own items."""
    added: List[pytest.Item] = []
    for run in _runs(config):
        node = _CatalogNode.from_parent(  # pyright: ignore[reportUnknownMemberType]
            session, name=run.name, nodeid=run.name, run=run, path=Path(config.rootpath)
        )
        for item in node.collect():
            added.append(item)
    if not added:
        return
    keyword = config.getoption("keyword")
    if keyword:
        from _pytest.mark import KeywordMatcher
        from _pytest.mark.expression import Expression

        expression = Expression.compile(keyword)
        added = [i for i in added if expression.evaluate(KeywordMatcher.from_item(i))]
    items.extend(added)
