"""Saved news pages: the article's body and metadata, page furniture left out.

The only module that imports trafilatura and htmldate; both run offline on the saved HTML.
"""

from __future__ import annotations

import logging
import re

from tracker.errors import InputError
from tracker.sources.document import DocumentInput

# Furniture trafilatura can let through when it sits inside the <article>: photo captions and
# credits, "read more"/"related" boxes, share bars. Their numbers are not the article's claims.
# (Not <form>: some sites wrap the whole page in one.)
_FURNITURE = re.compile(
    r"<(figure|figcaption|nav|aside|footer|button|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_READ_MORE = re.compile(r"^\s*(read more|related|see also|more on this|recommended|watch|listen)\b[:\s]", re.I)
_CREDIT = re.compile(r"^\s*[\(\[]?(?:(?:photo|image|credit|picture)s?\s*(?:credit)?\s*[:/]"
                     r"|(?:additional\s+)?(?:reporting|writing|editing|compiled|graphics)\s+by\b)", re.I)

# trafilatura and htmldate log every page they cannot parse; tracker reports problems itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def strip_furniture(html: str) -> str:
    """The page without figures, captions, navigation, asides, footers and forms."""
    previous = None
    while previous != html:  # nested furniture (a caption inside a figure inside an aside)
        previous, html = html, _FURNITURE.sub(" ", html)
    return html


def page_date(html: str):
    """The page's publication date and time as written in its markup (htmldate), or None."""
    from htmldate import find_date

    try:
        return find_date(html, outputformat="%Y-%m-%dT%H:%M:%S%z", original_date=True,
                         extensive_search=False)
    except Exception:  # htmldate raises on odd markup; no date is the honest answer
        return None


def read_page(html: str, name: str) -> DocumentInput:
    """The article in a saved web page: body text, title, site name, date and URL from the page."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            strip_furniture(html), with_metadata=True, favor_precision=True, include_comments=False,
            include_tables=True, include_images=False, include_links=False)
    except Exception as exc:  # trafilatura raises on pages lxml cannot build a tree for
        raise InputError(f"{name}: cannot read the web page ({exc.__class__.__name__})") from exc
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    paragraphs = [p for p in (data.get("text") or "").split("\n")
                  if p.strip() and not _READ_MORE.match(p) and not _CREDIT.match(p)]
    body = "\n\n".join(paragraphs)
    if not body.strip():
        raise InputError(f"{name}: no article text found in the web page")
    meta = {"title": data.get("title"), "source": data.get("sitename"), "url": data.get("url"),
            "author": data.get("author"), "date": page_date(html), "format": "html"}
    return DocumentInput(name=name, body=body, meta={k: v for k, v in meta.items() if v}, origin=name)
