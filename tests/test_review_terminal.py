"""`tracker review` on a real terminal (a pty): single keys confirm, reject, fix, skip and quit."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from tracker import store
from tracker.ingest import ingest
from tracker.store import decisions

pexpect = pytest.importorskip("pexpect")
HERE = Path(__file__).parent / "decisions"
STEP = re.compile(r"(\d+)/(\d+)\s+claim (\d+)")


def test_review_steps_through_the_queue_with_single_keys(tmp_path):
    for name in ("herald.txt", "courier.txt", "gazette.txt"):
        shutil.copy(HERE / name, tmp_path / name)
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = store.make_engine(url)
    ingest(engine, [tmp_path])
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "120", "LOGNAME": "reviewer", "USER": "reviewer"}
    child = pexpect.spawn(sys.executable, ["-m", "tracker", "review", "--figure", "hostages", "--db", url],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
    seen, totals = [], {}

    def step() -> int:
        child.expect(STEP)
        claim_id = int(child.match.group(3))
        totals[claim_id] = int(child.match.group(2))
        child.expect(r"\[c\]onfirm")
        seen.append(claim_id)
        return claim_id

    confirmed = step()
    assert "why: dispute" in child.before and "remain in captivity" in child.before  # reason and sentence shown
    child.send("c")
    child.expect("confirmed")
    rejected = step()
    child.send("r")
    child.expect("why")
    child.sendline("counts one town's families")
    child.expect("rejected")
    fixed = step()
    child.send("x")                      # not a key: the keys are shown again, the claim stays
    child.expect(r"\[c\]onfirm")
    child.send("f")
    child.expect("field=value")
    child.sendline("valeu=113")          # a typo: one error line, and the claim is still open
    child.expect("unknown claim field 'valeu'")
    child.expect(r"\[c\]onfirm")
    child.send("f")
    child.expect("field=value")
    child.sendline("value=113 aspect=held")
    child.expect("why")
    child.sendline("")
    child.expect("fixed")
    step()
    child.send("q")
    child.expect("1 confirmed, 1 rejected, 1 fixed, 0 skipped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert len(set(seen)) == 4

    # again: the decided claims are no longer in the queue; skipping the last one ends it
    child = pexpect.spawn(sys.executable, ["-m", "tracker", "review", "--figure", "hostages", "--db", url],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
    skipped = step()
    assert skipped == seen[3] and totals[skipped] == 1
    child.send("s")
    child.expect("0 confirmed, 0 rejected, 0 fixed, 1 skipped; end of the queue")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # Ctrl-C stops a review cleanly: a summary line, exit code 130, no traceback
    child = pexpect.spawn(sys.executable, ["-m", "tracker", "review", "--db", url],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
    step()
    child.sendintr()
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    assert "Traceback" not in child.before
    child.close()
    assert child.exitstatus == 130

    shown = {c.id: c for c in store.query_claims(engine, "hostages")}
    assert shown[confirmed].status == "confirmed"
    assert rejected not in shown
    assert (shown[fixed].value, shown[fixed].status) == (113, "fixed")
    assert shown[skipped].status == "extracted"
    (reject,) = [d for d in decisions.list_decisions(engine) if d["kind"] == "reject"]
    assert (reject["why"], reject["by"]) == ("counts one town's families", "reviewer")
    engine.dispose()
