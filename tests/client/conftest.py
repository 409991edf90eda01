from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests_mock

from vastplan.client import session


@pytest.fixture
def mock() -> requests_mock.Adapter:
    """A requests-mock transport, mounted through the client's ``adapter`` parameter."""
    return requests_mock.Adapter()


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The client warns once per endpoint per process; each test starts with none given, and no
    # CA bundle from the environment replaces verify=True.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session._warned.clear()
    yield
    session._warned.clear()
