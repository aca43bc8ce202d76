# SPDX-License-Identifier: EUPL-1.2
"""/docs and /redoc work without internet; one version number everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version

import pytest
from fastapi.testclient import TestClient

from ontzorgen.config import Settings
from tests.api_auth import api_app, bearer

_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*['"]([^'"]+)['"]""")


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_reference_no_outside_host_and_their_assets_are_served(
    client: TestClient, page: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert not re.search(r"https?://", html), "the page names an outside host"
    references = [a or b for a, b in _URL.findall(html)]
    assets = [ref for ref in references if ref.endswith((".js", ".css", ".png"))]
    assert assets, "the page loads its assets from somewhere"
    for asset in assets:
        assert asset.startswith("/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 1000, asset
    assert "/openapi.json" in html


def test_one_version_number_everywhere(client: TestClient) -> None:
    package = version("ontzorgen")
    assert client.get("/healthz").json()["version"] == package
    assert client.get("/openapi.json").json()["info"]["version"] == package
    assert client.get("/healthz").headers["API-Version"] == package
