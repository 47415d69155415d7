"""Stopping and restarting the stack: no orphan processes, conversations survive."""
from __future__ import annotations

import signal
import time

from tests.stack import alive, children_of, new_sender


def test_ctrl_c_stops_every_process_and_a_restart_keeps_the_conversation(stack):
    sender = new_sender()
    assert stack.chat("你好", sender)["meta"]["lang"] == "zh"

    services = children_of(stack.process.pid)
    assert len(services) == 4  # actions, rasa, worker, gateway
    assert stack.stop(signal.SIGINT) == 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in services) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in services if alive(pid)]

    stack.start()
    # "ok" has no language signal and no UI hint: only the stored conversation knows it is zh.
    assert stack.chat("ok", sender)["meta"]["lang"] == "zh"
    assert stack.chat("ok", new_sender())["meta"]["lang"] == "en"
