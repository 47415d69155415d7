"""Stopping, crashing and restarting the stack: no orphan processes, no stuck ports, a crashed
service comes back by itself while the others go on, conversations survive."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.stack import BIN, ROOT, Stack, alive, children_of, new_sender, port_free, wait_until

SERVICES = 4  # actions, rasa, worker, gateway


def ports(stack: Stack) -> list[int]:
    return [int(stack.env[name]) for name in ("PORT", "RASA_PORT", "ACTIONS_PORT")]


def service_pids(stack: Stack) -> list[int]:
    return children_of(stack.process.pid)


def service_pid(stack: Stack, marker: bytes) -> int:
    return next(pid for pid in service_pids(stack) if marker in Path(f"/proc/{pid}/cmdline").read_bytes())


def test_a_killed_worker_comes_back_the_chat_goes_on_and_the_alert_arrives_once(stack, webhook):
    worker = service_pid(stack, b"bot.escalation.worker")
    os.killpg(worker, signal.SIGKILL)  # the alert worker crashes
    assert stack.chat("hello")["meta"]["kind"] == "chitchat"  # the chat does not notice
    reply = stack.chat("my son is burning up, 39.5 on the thermometer")
    meta = reply["meta"]
    assert meta["kind"] == "escalation" and meta["escalation_id"]
    assert "Call the care team now" in reply["messages"][0]["text"]  # what to do, whatever the worker does
    assert wait_until(lambda: len(service_pids(stack)) == SERVICES and worker not in service_pids(stack), 30)
    assert wait_until(lambda: any(r["body"]["id"] == meta["escalation_id"] for r in webhook.received), 30)
    time.sleep(2)
    keys = [r["key"] for r in webhook.received if r["body"]["id"] == meta["escalation_id"]]
    assert len(keys) == len(set(keys)) == 1  # delivered, and only once


@pytest.mark.parametrize("marker", [b"rasa_sdk", b"bot.rasa_server"], ids=["action server", "rasa"])
def test_a_killed_backend_comes_back_and_the_family_always_has_the_number(stack, marker):
    os.killpg(service_pid(stack, marker), signal.SIGKILL)
    response = stack.post({"sender": new_sender(), "message": "hello"})
    if response.status_code != 200:  # while it restarts: the documented 503, with the number to call
        assert response.status_code == 503 and "+1 555 0199" in response.json()["error"]["message"]
    assert wait_until(lambda: stack.post({"sender": new_sender(), "message": "hello"}).status_code == 200, 180)
    assert stack.process.poll() is None and len(service_pids(stack)) == SERVICES


def test_sigint_then_sigterm_stops_everything_and_frees_every_port_then_a_restart_keeps_the_conversation(stack):
    sender = new_sender()
    assert stack.chat("你好", sender)["meta"]["lang"] == "zh"
    services = service_pids(stack)
    assert len(services) == SERVICES
    os.killpg(stack.process.pid, signal.SIGINT)   # Ctrl-C in a terminal...
    time.sleep(0.3)
    os.killpg(stack.process.pid, signal.SIGTERM)  # ... and an impatient second signal
    assert stack.process.wait(timeout=20) == 0
    stack.process = None
    assert wait_until(lambda: not any(alive(pid) for pid in services), 20)
    assert wait_until(lambda: all(port_free(port) for port in ports(stack)), 20)

    stack.start()
    # "ok" has no language signal and no UI hint: only the stored conversation knows it is zh.
    assert stack.chat("ok", sender)["meta"]["lang"] == "zh"
    assert stack.chat("ok", new_sender())["meta"]["lang"] == "en"


def test_a_port_already_taken_is_said_clearly(stack):
    second = subprocess.run([str(BIN / "carebot"), "run"], cwd=ROOT, env=stack.env, capture_output=True,
                            text=True, timeout=120)
    assert second.returncode == 1
    assert f"port {stack.env['PORT']}" in second.stdout and "already in use" in second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert stack.chat("hello")["meta"]["kind"] == "chitchat"  # the running stack is untouched
