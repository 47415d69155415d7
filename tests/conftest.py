"""Session fixtures: one real model trained per test run, one running stack shared by tests."""
from __future__ import annotations

import pytest

from tests.stack import Stack, carebot


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    """The whole product, started the way `make run` starts it, with a freshly trained model."""
    var, models = tmp_path_factory.mktemp("var"), tmp_path_factory.mktemp("models")
    running = Stack(var, models)
    carebot(running.env, "content", "import")
    carebot(running.env, "train")
    running.start()
    yield running
    if running.process is not None:
        running.stop()
