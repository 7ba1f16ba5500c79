"""Readers: every input format becomes documents, and every unreadable input one named problem."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from tracker.errors import InputError
from tracker.sources.readers import (
    DocumentInput, iter_documents, iter_files, read_bytes, read_documents, read_path, sniff_format,
)

PAGES = Path(__file__).resolve().parent / "pages"


def _items(raw: bytes, name: str) -> list:
    return list(read_bytes(raw, name))


def _one(raw: bytes, name: str = "doc.txt") -> DocumentInput:
    (item,) = _items(raw, name)
    assert isinstance(item, DocumentInput), item
    return item


def _problem(raw: bytes, name: str = "doc.txt") -> str:
    (item,) = _items(raw, name)
    assert isinstance(item, InputError), item
    return str(item)


# --- text and markdown -------------------------------------------------------------------------

def test_markdown_front_matter_gives_metadata_and_keeps_unknown_keys():
    """Known keys are read from the front matter, unknown ones kept, the body is what follows."""
    doc = _one(b"---\nsource: AP\ndate: 2024-05-01\nurl: https://x.example/a\ntitle: T\nauthor: A\n"
               b"desk: Mideast\n---\n# Heading\n\nSome 125 hostages remain.\n", "note.md")
    assert doc.meta == {"source": "AP", "date": __import__("datetime").date(2024, 5, 1),
                        "url": "https://x.example/a", "title": "T", "author": "A", "desk": "Mideast"}
    assert doc.body == "# Heading\n\nSome 125 hostages remain.\n" and doc.name == "note.md"


def test_text_without_front_matter_is_all_body():
    """A plain text file is read whole, with no metadata."""
    doc = _one(b"Some 130 hostages remain in Gaza.\n", "plain.txt")
    assert doc.meta == {} and doc.body.startswith("Some 130")


# --- HTML --------------------------------------------------------------------------------------

@pytest.mark.parametrize("page, furniture", [
    ("ledger_semantic.html", ["Top 25", "61 hostages", "250 hostages", "45 prisoners", "12 killed", "555-0142",
                              "14 openings", "Share"]),
    ("courier_divs.html", ["7 day", "600 workers", "15 percent", "80 workers", "50,000 readers", "0042"]),
    ("gazette_inline.htm", ["150 prisoners", "110 hostages", "555-0199", "3 months", "Front page", "4 correspondents"]),
])
def test_html_body_leaves_out_page_furniture(page, furniture):
    """Menus, captions, credits, read-more and related links and footers are not part of the body."""
    (doc,) = read_documents(PAGES / page)
    for text in furniture:
        assert text not in doc.body, text
    assert len(doc.body.split("\n\n")) >= 3


def test_html_metadata_comes_from_the_page():
    """Title, site name, canonical URL, author and the published time (with its zone) come from the markup."""
    (doc,) = read_documents(PAGES / "ledger_semantic.html")
    assert doc.meta["title"] == "Mediators push new phase of prisoner swap"
    assert doc.meta["source"] == "The Harbor Ledger"
    assert doc.meta["url"] == "https://harborledger.example/world/2024/05/mediators-new-phase"
    assert doc.meta["date"].startswith("2024-05-06T22:15:00")
    assert "33 hostages" in doc.body and "as many as 900 prisoners" in doc.body


def test_html_date_from_json_ld_and_from_text():
    """A JSON-LD datePublished is found, and so is a 'Published <date>' line when the markup has none."""
    (courier,) = read_documents(PAGES / "courier_divs.html")
    (gazette,) = read_documents(PAGES / "gazette_inline.htm")
    assert courier.meta["date"].startswith("2023-10-02") and courier.meta["source"] == "Northgate Courier"
    assert gazette.meta["date"].startswith("2023-11-27")


def test_html_is_detected_by_content_without_an_extension(tmp_path):
    """A saved page named without .html is still read as a page, not as text full of tags."""
    saved = tmp_path / "saved-page"
    shutil.copy(PAGES / "ledger_semantic.html", saved)
    (doc,) = read_documents(saved)
    assert "<p>" not in doc.body and doc.meta["source"] == "The Harbor Ledger"


def test_page_without_article_text_is_a_problem():
    """A page with nothing but navigation is skipped with a reason."""
    assert "no article text" in _problem(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "p.html")


# --- JSON and JSONL ----------------------------------------------------------------------------

def test_json_object_is_one_document_named_by_its_id():
    """A JSON object with text and id is one document called by its id, other fields as metadata."""
    doc = _one(json.dumps({"id": "r-1", "text": "Some 130 hostages remain.", "source": "AP",
                           "date": "March 26, 2024", "url": "u", "title": "t", "lang": "en"}).encode(), "one.json")
    assert doc.name == "r-1" and doc.meta["source"] == "AP" and doc.meta["lang"] == "en"
    assert "text" not in doc.meta and doc.body == "Some 130 hostages remain."


def test_json_list_gives_one_document_per_record():
    """A JSON list is read record by record; a record without id is named file:N (N from 1)."""
    raw = json.dumps([{"id": 7, "text": "a 6-week truce"}, {"text": "some 130 hostages"}]).encode()
    names = [d.name for d in _items(raw, "batch.json")]
    assert names == ["7", "batch.json:2"]


def test_jsonl_names_records_by_id_or_line_and_skips_bad_lines_alone():
    """Each JSONL line is a record; bad lines become one problem each naming file:line; good ones are kept."""
    raw = (b'{"id": "a", "text": "Some 130 hostages remain."}\n'
           b'\n'
           b'{"text": "As many as 800 prisoners."}\n'
           b'{"id": "c", "title": "no text here"}\n'
           b'{not json\n'
           b'["a", "list"]\n')
    items = _items(raw, "feed.jsonl")
    docs = [i for i in items if isinstance(i, DocumentInput)]
    problems = [str(i) for i in items if isinstance(i, InputError)]
    assert [d.name for d in docs] == ["a", "feed.jsonl:3"]
    assert problems == ['feed.jsonl:4 (id c): record has no "text"',
                        "feed.jsonl:5: not valid JSON (Expecting property name enclosed in double quotes)",
                        "feed.jsonl:6: record is not a JSON object"]


def test_jsonl_saved_as_json_is_still_read():
    """A .json file holding one object a line is read as JSONL rather than refused."""
    raw = b'{"text": "one 130 hostages"}\n{"text": "two 800 prisoners"}\n'
    assert [d.name for d in _items(raw, "x.json")] == ["x.json:1", "x.json:2"]


@pytest.mark.parametrize("name, text, kind", [
    ("a.txt", "Some 130 hostages.", "text"),
    ("a.md", "---\ntitle: x\n---\nbody", "text"),
    ("a.html", "plain words", "html"),
    ("a", "<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("a.txt", "  <?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
    ("a.md", "Text that mentions a <b>tag</b> is still text.", "text"),
    ("<stdin>", '{"text": "x"}\n{"text": "y"}', "jsonl"),
    ("<stdin>", '[{"text": "x"}]', "json"),
    ("<stdin>", '{\n  "text": "x"\n}', "json"),
    ("a.ndjson", '{"text": "x"}', "jsonl"),
    ("a.txt", "[Updated] Some 130 hostages remain.", "text"),
    ("<stdin>", "{Analysis} Talks stall.\nSome 130 hostages remain.", "text"),
    ("a.txt", '{"text": "x"}\n', "jsonl"),
])
def test_format_is_sniffed_by_extension_then_content(name, text, kind):
    """The extension decides where it is known; otherwise the content does."""
    assert sniff_format(name, text) == kind


# --- stdin -------------------------------------------------------------------------------------

def test_dash_reads_jsonl_from_stdin():
    """`-` reads the standard input; JSONL there gives one document per line named <stdin>:line."""
    stdin = io.BytesIO(b'{"text": "Some 130 hostages remain."}\n{"id": "z", "text": "800 prisoners"}\n')
    assert [d.name for d in iter_documents(["-"], stdin=stdin)] == ["<stdin>:1", "z"]


def test_dash_reads_text_with_front_matter_from_stdin():
    """Plain text on stdin is one document called <stdin>, its front matter read."""
    (doc,) = read_path("-", stdin=io.BytesIO(b"---\nsource: AP\n---\nSome 130 hostages remain.\n"))
    assert doc.name == "<stdin>" and doc.meta == {"source": "AP"}


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, problem", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (bytes(range(1, 32)) * 40, "binary file"),
    (b"caf\xc3 \x81\x8d\x90 bad bytes", "not valid UTF-8 or Windows-1252"),
    (b"---\nsource: [unclosed\n---\nSome 5 hostages.\n", "front matter is not valid YAML"),
    (b"---\n- a\n- b\n---\nSome 5 hostages.\n", "front matter is not a set"),
    (b"---\nsource: AP\n---\n\n", "no text after the front matter"),
])
def test_each_bad_input_is_one_problem_naming_the_file(raw, problem):
    """Empty, binary, undecodable files and broken front matter each give one problem naming the file."""
    message = _problem(raw, "in/bad.txt")
    assert message.startswith("in/bad.txt: ") and problem in message


def test_legacy_encodings_are_read():
    """Windows-1252 (curly quotes) and UTF-16 with a byte-order mark are decoded, not refused."""
    assert _one("\u201cSome 130 hostages\u201d".encode("cp1252")).body.startswith("\u201cSome")
    assert _one("Some 130 hostages \u2014 AP".encode("utf-16")).body == "Some 130 hostages \u2014 AP"


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    """A path that does not exist is reported, and the files after it are still read."""
    (tmp_path / "ok.txt").write_text("Some 130 hostages.", encoding="utf-8")
    items = list(iter_documents([tmp_path / "gone.txt", tmp_path / "ok.txt"]))
    assert "gone.txt: cannot read" in str(items[0]) and items[1].body == "Some 130 hostages."


def test_folders_are_read_recursively_skipping_hidden_files(tmp_path):
    """A folder yields the documents of every file below it, hidden ones left out, in name order."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    names = [d.name for d in iter_documents([tmp_path])]
    assert names == [str(tmp_path / "a.txt"), f"{tmp_path / 'b' / 'two.jsonl'}:1", f"{tmp_path / 'b' / 'two.jsonl'}:2"]


# --- untrusted bytes ---------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8"))),
       st.sampled_from(["x.txt", "x.md", "x.json", "x.jsonl", "x.html", "<stdin>", "x"]))
def test_any_bytes_give_documents_or_named_problems_never_a_crash(raw, name):
    """Whatever the bytes and the name, reading yields documents with text or InputErrors naming the input."""
    for item in read_bytes(raw, name):
        if isinstance(item, InputError):
            assert str(item).startswith(name)
        else:
            assert isinstance(item, DocumentInput) and item.body.strip()


def test_page_in_its_declared_legacy_charset_is_decoded_by_it():
    """A saved page in windows-1255 (Hebrew) is decoded by its <meta charset>, not guessed as Windows-1252."""
    html = ('<html><head><meta charset="windows-1255"><title>\u05d3\u05d5\u05d7</title></head><body>'
            '<p>Some 130 hostages remain in Gaza, \u05d0\u05de\u05e8 \u05d4\u05d3\u05d5\u05d1\u05e8, '
            'officials said on Monday after the talks.</p></body></html>')
    (doc,) = _items(html.encode("windows-1255"), "page.html")
    assert "\u05d0\u05de\u05e8" in doc.body


def test_a_saved_complete_page_is_one_document_not_its_assets(tmp_path):
    """A browser's 'page.html' + 'page_files/' folder yields the page only; scripts, styles and images are passed over."""
    shutil.copy(PAGES / "ledger_semantic.html", tmp_path / "story.html")
    assets = tmp_path / "story_files"
    assets.mkdir()
    (assets / "app.js").write_text("var hostages = 130;", encoding="utf-8")
    (assets / "frame.htm").write_text("<html><body><p>Ad: 50 prisoners</p></body></html>", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (tmp_path / "notes_files").mkdir()
    (tmp_path / "notes_files" / "kept.txt").write_text("Some 130 hostages.", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])] == ["notes_files/kept.txt", "story.html"]
    assert list(iter_files([assets / "app.js"])) == [assets / "app.js"]  # named explicitly: read


def test_json_record_holding_a_whole_page_is_read_as_a_page():
    """A record whose text is a saved page gets the page's body and metadata, the record's own fields winning."""
    page = (PAGES / "ledger_semantic.html").read_text(encoding="utf-8")
    doc = _one(json.dumps({"id": "p1", "text": page, "source": "Ledger (archive)"}).encode(), "dump.jsonl")
    assert "61 hostages" not in doc.body and "33 hostages" in doc.body
    assert doc.meta["source"] == "Ledger (archive)" and doc.meta["title"] == "Mediators push new phase of prisoner swap"
