"""Mirror the blacklist from the change feed, then screen a supplier list. Usage:
QCREDIT_URL=http://127.0.0.1:8000 QCREDIT_KEY=... python mirror_and_screen.py suppliers.txt"""

import json
import os
import sys
from pathlib import Path

from qcredit_client import Client

suppliers = Path(sys.argv[1]).read_text().split()
state = Path(os.environ.get("QCREDIT_MIRROR", "blacklist-mirror.json"))
mirror = json.loads(state.read_text() if state.exists() else '{"after": 0, "entries": {}}')

with Client(os.environ["QCREDIT_URL"], os.environ["QCREDIT_KEY"]) as registry:
    # every blacklist change since the position stored last time (0 = the whole history)
    for event in registry.iter_changes(after=mirror["after"], types=["blacklist."]):
        mirror["entries"][str(event.data["id"])] = {"code": event.code, **event.data}
        mirror["after"] = event.seq  # persisted below: the next run resumes here
    state.write_text(json.dumps(mirror, ensure_ascii=False, indent=1))
    listed = {e["code"] for e in mirror["entries"].values() if e["status"] == "listed"}
    print(f"mirror: {len(listed)} listed, position {mirror['after']}")

    report = registry.screen(suppliers)  # any number of codes, answered in order
    for r in report.results:
        verdict = "invalid" if not r.valid else "LISTED" if r.listed else "clear"
        print(f"{r.input or r.code} {verdict} {r.grade or '-'}")
