"""Reading documents: text and markdown (front matter), saved web pages, JSON and JSONL, stdin.

Each input yields documents or, for what cannot be read, an InputError naming the file (and the
record) and the problem — one bad record never hides the good ones beside it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from tracker.errors import InputError
from tracker.sources.document import DocumentInput
from tracker.sources.frontmatter import split_front_matter

STDIN = "-"
STDIN_NAME = "<stdin>"
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
RECORD_FIELDS = ("text", "id")
ASSET_SUFFIXES = {".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif",
                  ".ico", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot"}

# A page saved from a browser starts with a doctype or an <html>/<head>/<body> tag, perhaps after
# an XML declaration or comments; markdown that merely contains a tag does not.
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(r"<html[\s>]", re.I)
_CHARSET = re.compile(rb"<meta[^>]*charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


Item = Union[DocumentInput, InputError]


def decode_bytes(raw: bytes, name: str) -> str:
    """Text from file bytes: UTF-8 (or UTF-16 with a byte-order mark), then Windows-1252; binary is refused."""
    if not raw.strip():
        raise InputError(f"{name}: empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid UTF-16 text") from exc
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: binary file, not text")
    for encoding in ("utf-8-sig", *_declared_charset(raw), "cp1252"):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        head = text[:8192]
        if len(_CONTROL.findall(head)) > max(2, len(head) // 100):
            raise InputError(f"{name}: binary file, not text")
        return text
    raise InputError(f"{name}: not valid UTF-8 or Windows-1252 text")


def _declared_charset(raw: bytes) -> list[str]:
    # A saved page says its encoding in <meta charset> (windows-1255 Hebrew, windows-1256 Arabic):
    # tried after UTF-8, which is right whenever it decodes, and before the Windows-1252 guess.
    match = _CHARSET.search(raw[:4096])
    return [match.group(1).decode("ascii")] if match else []


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Path]:
    """Every file named, and every document file below each folder named (recursively, sorted); `-` is stdin.

    In a folder, hidden files, page assets (style sheets, scripts, images, fonts) and the
    `<page>_files/` folder a browser saves beside `<page>.html` are not documents and are passed over.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not _passed_over(f.relative_to(p), p):
                    yield f
        else:
            yield p


def _passed_over(relative: Path, root: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts) or relative.suffix.lower() in ASSET_SUFFIXES:
        return True
    folder = root
    for part in relative.parts[:-1]:
        if part.endswith("_files") and any((folder / (part[:-6] + ext)).is_file() for ext in HTML_SUFFIXES):
            return True
        folder = folder / part
    return False


def looks_like_html(text: str) -> bool:
    """Whether `text` is a web page: it starts as one, or has an <html> tag near the top."""
    return bool(_HTML_START.match(text) or _HTML_TAG.search(text[:2048]))


def sniff_format(name: str, text: str) -> str:
    """The format of a file's text: 'html', 'json', 'jsonl' or 'text' — by extension, else by content."""
    suffix = Path(name).suffix.lower() if name != STDIN_NAME else ""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if looks_like_html(text):
        return "html"
    # Without a JSON extension only content that parses is JSON: an article may well begin
    # "[Updated] …" or "{Analysis} …".
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{") and _parses(head.split("\n", 1)[0], dict):
        return "jsonl"
    if head[:1] in ("{", "[") and _parses(head, (dict, list)):
        return "json"
    return "text"


def _parses(text: str, kind) -> bool:
    try:
        return isinstance(json.loads(text), kind)
    except ValueError:
        return False


def read_text(text: str, name: str) -> DocumentInput:
    """A text or markdown document with an optional YAML front-matter block."""
    meta, body = split_front_matter(text, name)
    if not body.strip():
        raise InputError(f"{name}: no text after the front matter" if meta else f"{name}: empty file")
    return DocumentInput(name=name, body=body, meta=meta, origin=name)


def record_document(record, name: str, where: str) -> DocumentInput:
    """A document from one JSON record: `text` required; `id` names it, else `where` (file:line) does."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: record is not a JSON object")
    label = f"{where} (id {record['id']})" if record.get("id") not in (None, "") else where
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = "has no \"text\"" if text in (None, "") else "has an empty or non-string \"text\""
        raise InputError(f"{label}: record {problem}")
    doc_name = str(record["id"]) if record.get("id") not in (None, "") else where
    meta = {str(k).lower(): v for k, v in record.items() if k not in RECORD_FIELDS}
    if looks_like_html(text):  # a scraper's dump of whole pages: read each as a page
        from tracker.sources.webpage import read_page

        page = read_page(text, label)
        text, meta = page.body, {**page.meta, **{k: v for k, v in meta.items() if v not in (None, "")}}
    return DocumentInput(name=doc_name, body=text, meta=meta, origin=name)


def read_jsonl(text: str, name: str) -> Iterator[Item]:
    """One document per non-blank line; a line that is not a JSON object with text is skipped alone."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError(f"{where}: not valid JSON ({_json_problem(exc)})")
            continue
        try:
            yield record_document(record, name, where)
        except InputError as exc:
            yield exc


def read_json(text: str, name: str) -> Iterator[Item]:
    """One document for a JSON object, one per record for a list (records named file:N, N from 1)."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].lstrip().startswith("{"):  # JSONL saved as .json
            yield from read_jsonl(text, name)
            return
        yield InputError(f"{name}: not valid JSON ({_json_problem(exc)})")
        return
    records = data if isinstance(data, list) else [data]
    if not records:
        yield InputError(f"{name}: JSON list with no records")
    for number, record in enumerate(records, start=1):
        where = name if not isinstance(data, list) else f"{name}:{number}"
        try:
            yield record_document(record, name, where)
        except InputError as exc:
            yield exc


def _json_problem(exc: ValueError) -> str:
    return getattr(exc, "msg", None) or str(exc)


def read_bytes(raw: bytes, name: str) -> Iterator[Item]:
    """The documents held by the bytes of one file (or of stdin), in whatever format they are."""
    try:
        text = decode_bytes(raw, name)
    except InputError as exc:
        yield exc
        return
    kind = sniff_format(name, text)
    try:
        if kind == "html":
            from tracker.sources.webpage import read_page

            yield read_page(text, name)
        elif kind == "jsonl":
            yield from read_jsonl(text, name)
        elif kind == "json":
            yield from read_json(text, name)
        else:
            yield read_text(text, name)
    except InputError as exc:
        yield exc


def read_path(path: Union[str, Path], *, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """The documents in one file, or in stdin when `path` is `-`."""
    if str(path) == STDIN:
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", sys.stdin)
        raw = stream.read()
        yield from read_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw, STDIN_NAME)
        return
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    yield from read_bytes(raw, str(path))


def iter_documents(paths: Iterable[Union[str, Path]], *, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Every document (or InputError) under `paths`: files, folders (recursively) and `-` for stdin."""
    for path in iter_files(paths):
        yield from read_path(path, stdin=stdin)


def read_documents(path: Union[str, Path]) -> list[DocumentInput]:
    """The documents one file holds; the first problem is raised as an InputError."""
    items = list(read_path(path))
    for item in items:
        if isinstance(item, InputError):
            raise item
    return items  # type: ignore[return-value]
