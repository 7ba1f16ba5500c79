"""The CLI on every input format and the document commands (sources, show, forget), end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from tracker.cli import ingest as cli_ingest
from tracker.cli import app

PAGES = Path(__file__).resolve().parent / "pages"
FEED = ('{"id": "ap-1", "source": "AP", "date": "2024-03-26", "text": "Some 130 hostages remain in Gaza."}\n'
        '{"source": "Reuters", "text": "Israel would free as many as 800 prisoners, on March 27, 2024."}\n')


def _run(runner, *args, **kw):
    return runner.invoke(app, [*map(str, args)], **kw)


def _json(runner, *args):
    res = _run(runner, *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_ingest_reads_jsonl_from_stdin(runner, db_url):
    """`tracker ingest -` stores each JSONL record on stdin; a record without id is named <stdin>:line."""
    res = _run(runner, "ingest", "-", "--db", db_url, input=FEED)
    assert res.exit_code == 0, res.output
    assert "2 new" in res.stderr
    docs = {r["doc"]: r for r in _json(runner, "sources", "--db", db_url)}
    assert set(docs) == {"ap-1", "<stdin>:2"}
    assert (docs["<stdin>:2"]["date"], docs["<stdin>:2"]["date_inferred"]) == ("2024-03-27", True)


def test_ingest_reads_text_from_stdin_with_source_and_date(runner, db_url):
    """Plain text on stdin is one document; --source and --date fill its metadata."""
    res = _run(runner, "ingest", "-", "--source", "Reuters", "--date", "26/03/2024", "--db", db_url,
               input="Some 130 hostages remain in Gaza.\n")
    assert res.exit_code == 0, res.output
    (row,) = _json(runner, "sources", "--db", db_url)
    assert (row["doc"], row["source"], row["date"], row["claims"]) == ("<stdin>", "Reuters", "2024-03-26", 1)


def test_extract_reads_jsonl_with_record_ids_as_doc(runner, tmp_path):
    """`tracker extract` reads JSONL: each claim's doc is the record id, or file:line without one."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(FEED, encoding="utf-8")
    res = _run(runner, "extract", feed, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    docs = {json.loads(line)["doc"] for line in res.stdout.splitlines()}
    assert docs == {"ap-1", f"{feed}:2"}


def test_extract_reads_stdin_and_html(runner):
    """`tracker extract -` reads a saved page from stdin and extracts only the article's claims."""
    res = _run(runner, "extract", "-", "--format", "jsonl", input=(PAGES / "ledger_semantic.html").read_text())
    assert res.exit_code == 0, res.output
    claims = [json.loads(line) for line in res.stdout.splitlines()]
    assert {c["doc"] for c in claims} == {"<stdin>"} and 900 in {c["value"] for c in claims}
    assert 61 not in {c["value"] for c in claims}


def test_every_bad_input_is_one_stderr_line_and_the_rest_is_stored(runner, db_url, tmp_path):
    """Each bad file or record gets exactly one line naming it and its problem; good input is stored; exit 1."""
    bad = {
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin.txt": b"caf\xc3 \x81\x8d\x90",
        "empty.md": b"",
        "frontmatter.md": b"---\nsource: [unclosed\n---\nSome 5 hostages remain.\n",
        "baddate.md": b"---\ndate: the day after tomorrow-ish\n---\nSome 5 hostages remain.\n",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for name, raw in bad.items():
        (folder / name).write_bytes(raw)
    (folder / "feed.jsonl").write_text('{"id": "ok", "text": "Some 130 hostages remain."}\n{"id": "x"}\n',
                                       encoding="utf-8")
    (folder / "good.txt").write_text("As many as 800 prisoners.", encoding="utf-8")
    res = _run(runner, "ingest", folder, "--db", db_url)
    assert res.exit_code == 1
    skipped = [line for line in res.stderr.splitlines() if line.startswith("skipped ")]
    expected = {"binary.txt": "binary file", "latin.txt": "not valid UTF-8", "empty.md": "empty file",
                "frontmatter.md": "front matter", "baddate.md": "unparsable date",
                "feed.jsonl:2 (id x)": 'record has no "text"'}
    assert len(skipped) == len(expected)
    for name, problem in expected.items():
        (line,) = [s for s in skipped if f"{folder / name}" in s]
        assert problem in line
    assert "2 new, 0 unchanged, 0 updated, 6 skipped" in res.stderr


def test_sources_lists_documents_and_outlets_with_claim_counts(runner, db_url, seeds):
    """`tracker sources` has one row per document with its claims; --outlets one per outlet."""
    _run(runner, "ingest", seeds, "--db", db_url)
    rows = _json(runner, "sources", "--db", db_url)
    assert len(rows) == len(list(seeds.iterdir())) and all(r["claims"] > 0 for r in rows)
    outlets = {r["source"]: r for r in _json(runner, "sources", "--outlets", "--db", db_url)}
    assert outlets["The Times of Israel"]["documents"] == 1
    assert sum(o["claims"] for o in outlets.values()) == sum(r["claims"] for r in rows)
    table = _run(runner, "sources", "--db", db_url)
    assert table.exit_code == 0 and f"{len(rows)} documents" in table.stdout


def test_sources_undated_lists_only_documents_without_a_date(runner, db_url, tmp_path):
    """An undated document appears under --undated; dated ones do not."""
    (tmp_path / "a.txt").write_text("Some 130 hostages remain in Gaza.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\ndate: 2024-01-01\n---\nSome 120 hostages remain.", encoding="utf-8")
    assert _run(runner, "ingest", tmp_path / "a.txt", tmp_path / "b.txt", "--db", db_url).exit_code == 0
    rows = _json(runner, "sources", "--undated", "--db", db_url)
    assert [r["doc"] for r in rows] == [str(tmp_path / "a.txt")]


def test_show_prints_the_document_with_its_claims(runner, db_url, seed_article):
    """`tracker show` by name or by id prints the title, the text and a table of the claims."""
    _run(runner, "ingest", seed_article, "--db", db_url)
    by_name = _run(runner, "show", seed_article, "--db", db_url)
    assert by_name.exit_code == 0, by_name.output
    assert "Blaming UN vote" in by_name.stdout and "The Times of Israel" in by_name.stdout
    assert "Some 130 hostages" in by_name.stdout and "claims" in by_name.stdout
    by_id = _run(runner, "show", "1", "--db", db_url)
    by_file_name = _run(runner, "show", seed_article.name, "--db", db_url)
    assert by_id.stdout == by_name.stdout == by_file_name.stdout


def test_show_highlights_each_claim_span(engine, seed_article):
    """The body handed to rich carries one highlight per claim, exactly over the claim's text."""
    from tracker import ingest
    from tracker.store import documents

    ingest.ingest(engine, [seed_article])
    document = documents.find_document(engine, str(seed_article))
    claims = documents.document_claims(engine, document)
    text = documents.highlighted_body(document.body, claims)
    assert [text.plain[s.start:s.end] for s in text.spans] == [c.text for c in claims]


def test_forget_removes_a_document_and_its_claims(runner, db_url, seeds, seed_article):
    """After `tracker forget`, the document and its claims are gone from sources and timelines."""
    _run(runner, "ingest", seeds, "--db", db_url)
    res = _run(runner, "forget", seed_article, "--db", db_url)
    assert res.exit_code == 0 and "forgot" in res.stderr
    assert len(_json(runner, "sources", "--db", db_url)) == len(list(seeds.iterdir())) - 1
    assert "2024-03-26" not in {c["date"] for c in _json(runner, "figure", "hostages", "--db", db_url)}
    again = _run(runner, "forget", seed_article, "--db", db_url)
    assert again.exit_code == 1 and "no stored document" in again.stderr


def test_ctrl_c_during_ingest_is_a_clean_message_and_exit_130(runner, db_url, tmp_path, monkeypatch):
    """Ctrl-C while storing prints one line and exits 130; documents stored before it are kept whole."""
    from tracker import ingest as ingest_mod

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Some {130 + i} hostages remain.", encoding="utf-8")
    real = ingest_mod.store_document
    calls = []

    def interrupted(engine, document, claims):
        calls.append(document)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(engine, document, claims)

    monkeypatch.setattr(ingest_mod, "store_document", interrupted)
    res = _run(runner, "ingest", folder, "--db", db_url)
    assert res.exit_code == 130
    assert "interrupted: 1 new" in res.stderr and "Traceback" not in res.stderr
    monkeypatch.undo()
    rerun = _run(runner, "ingest", folder, "--db", db_url)
    assert rerun.exit_code == 0 and "2 new, 1 unchanged" in rerun.stderr


def test_quiet_prints_only_problems_and_the_summary(runner, db_url, seeds):
    """--quiet leaves out the per-file lines."""
    res = _run(runner, "ingest", seeds, "--quiet", "--db", db_url)
    n = len(list(seeds.iterdir()))
    assert res.stderr.strip().splitlines() == [f"{n} new, 0 unchanged, 0 updated, 0 skipped"]


@pytest.mark.parametrize("quiet, shown", [(False, True), (True, False)])
def test_progress_bar_on_a_terminal_for_many_files(runner, db_url, tmp_path, monkeypatch, quiet, shown):
    """More than five files on a terminal draw a progress bar on stderr; --quiet silences it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"{i}.txt").write_text(f"Some {100 + i} hostages remain.", encoding="utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(cli_ingest, "err", Console(file=screen, force_terminal=True, width=100))
    res = _run(runner, "ingest", folder, "--db", db_url, *(["--quiet"] if quiet else []))
    assert res.exit_code == 0
    assert ("8/8" in screen.getvalue()) is shown
    assert "8 new" in screen.getvalue()


def test_ingest_of_a_folder_skips_its_own_database(runner, tmp_path, monkeypatch):
    """`tracker ingest .` beside ./tracker.db does not try to read the database as an article."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Some 130 hostages remain in Gaza.", encoding="utf-8")
    assert _run(runner, "ingest", ".").exit_code == 0
    (tmp_path / "b.txt").write_text("As many as 800 prisoners.", encoding="utf-8")
    res = _run(runner, "ingest", ".")
    assert res.exit_code == 0 and "1 new, 1 unchanged, 0 updated, 0 skipped" in res.stderr


def test_unreadable_date_option_is_one_error(runner, db_url, seeds):
    """A --date nobody can read stops the command with one error line, before anything is stored."""
    res = _run(runner, "ingest", seeds, "--date", "someday", "--db", db_url)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "--date: unparsable date" in res.stderr
