"""The sync client over real HTTP, and the README's example program run as a user runs it:
a live `qcredit serve` on a free port, on a database this test owns (SQLite and
PostgreSQL), demo-like data created through the API."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from qcredit_client import Client, NotFoundError, RetryPolicy
from service.clock import Clock
from tests.client._data import code, inspection, penalty, proposal
from tests.client._live import live_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "clients/python/examples/mirror_and_screen.py"
# The server's legal day is China's (service/clock.py): from 16:00 UTC it is a day
# ahead of the machine's UTC date, and a listing "today" must use the server's day.
RETRY = RetryPolicy(attempts=3, wait_initial=0.05, wait_max=0.2)


def list_enterprise(client: Client, uscc: str, ref: str) -> int:
    """Register, penalise, list (defence waived) and publish ``uscc`` today; the entry id."""
    today = Clock().today()
    client.put_enterprise(uscc, {"name": f"盘锦示例{uscc[-4:]}乳业有限公司", "products": ["dairy"]})
    record = client.add_record(uscc, penalty(ref, today - timedelta(days=30)))
    entry = client.propose_listing(proposal(uscc, record.id))
    client.notify_listing(entry.id, today)
    client.list_entry(entry.id, today, defence_waived=True)
    client.publish_listing(entry.id)
    return entry.id


def run_example(url: str, key: str, suppliers: Path, mirror: Path) -> list[str]:
    env = {"QCREDIT_URL": url, "QCREDIT_KEY": key, "QCREDIT_MIRROR": str(mirror)}
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(suppliers)],
        env={**env, "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_sync_client_and_example_program_against_a_live_server(
    database_url: str, tmp_path: Path
) -> None:
    listed, clean, removed, later = code(301), code(302), code(303), code(304)
    unknown = code(305)
    with live_registry(database_url) as live, Client(live.url, live.key, retry=RETRY) as client:
        assert client.me().level == "national"
        list_enterprise(client, listed, "L-1")
        client.put_enterprise(clean, {"name": "盘锦守信乳业有限公司", "products": ["dairy"]})
        gone = list_enterprise(client, removed, "L-2")
        client.remove_listing(gone, Clock().today(), "error")

        batch = [{**inspection(f"I-{i}", Clock().today()), "code": clean} for i in range(3)]
        results = list(client.upload_records(iter(batch), batch_size=2))
        assert [r.status for r in results] == ["accepted"] * 3
        assert [r.index for r in results] == [0, 1, 2]
        assert len(list(client.iter_records(clean, page_size=1))) == 3
        assert client.public_lookup(listed).listed is True
        with pytest.raises(NotFoundError):
            client.get_enterprise(unknown)

        suppliers = tmp_path / "suppliers.txt"
        suppliers.write_text(f"{listed}\n{clean.lower()}\n{unknown}\nnot-a-code\n{removed}\n")
        mirror = tmp_path / "mirror.json"
        out = run_example(live.url, live.key, suppliers, mirror)
        position = json.loads(mirror.read_text())["after"]
        grade = client.get_classification(listed).grade
        assert out[0] == f"mirror: 1 listed, position {position}"
        assert out[1:] == [
            f"{listed} LISTED {grade}",
            f"{clean.lower()} clear {client.get_classification(clean).grade}",
            f"{unknown} clear -",
            "not-a-code invalid -",
            f"{removed} clear {client.get_classification(removed).grade}",
        ]

        list_enterprise(client, later, "L-3")  # a change after the first run
        again = run_example(live.url, live.key, suppliers, mirror)
        state = json.loads(mirror.read_text())
        assert state["after"] > position  # resumed from the stored position, moved on
        assert again[0] == f"mirror: 2 listed, position {state['after']}"
        assert {e["code"] for e in state["entries"].values()} == {listed, removed, later}
        feed = [e.seq for e in client.iter_changes(after=position, types=["blacklist."])]
        assert feed and feed[-1] == state["after"]


def test_readme_shows_the_tested_example_in_under_30_lines() -> None:
    readme = (EXAMPLE.parents[1] / "README.md").read_text()
    program = EXAMPLE.read_text()
    assert f"```python\n{program}```" in readme  # the README shows exactly what CI runs
    assert len(program.splitlines()) < 30
