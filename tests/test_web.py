"""The web view through Starlette's TestClient: every page, the downloads, escaping, CSRF, read-only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tracker import store
from tracker.cli import app
from tracker.web import create_app
from tracker.web.app import Csrf

ARTICLES = Path(__file__).resolve().parent / "web_articles"


def decisions_available() -> bool:
    """Whether this build has the decisions module the review page calls."""
    try:
        import tracker.store.decisions  # noqa: F401
        import tracker.timeline.review  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def web_db(tmp_path, runner) -> str:
    """A SQLite database of the web sample articles (one of them hostile), ingested with `tracker ingest`."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    res = runner.invoke(app, ["ingest", str(folder), "--db", url, "--quiet"])
    assert res.exit_code == 0, res.output
    return url


@pytest.fixture
def client(web_db):
    with TestClient(create_app(web_db)) as c:
        yield c


def _cli(runner, *args) -> bytes:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout_bytes


def _doc_id(url: str, name: str) -> int:
    from tracker.store import documents

    return documents.find_document(store.make_engine(url), name).id


def test_stories_page_lists_the_story_with_dates_and_a_headline_chart(client):
    """The start page leads to the stories; each names its dates, counts and headline series."""
    res = client.get("/")
    assert res.status_code == 200 and res.url.path == "/stories"
    html = res.text
    assert "2031-03-02" in html and "2031-03-12" in html
    assert 'class="spark"' in html and "hostages held" in html
    assert '<script src="/static/plotly.min.js"></script>' in html


def test_stories_download_equals_the_cli_when_there_is_a_stories_command(client, runner, web_db):
    """The stories page's download is `tracker stories`' output (in a build with stories)."""
    if not any((c.name or c.callback.__name__) == "stories" for c in app.registered_commands):
        assert [r["story"] for r in client.get("/stories?format=json").json()] == ["all"]
        return
    for fmt in ("csv", "json"):
        assert client.get(f"/stories?format={fmt}").content == _cli(runner, "stories", "--format", fmt, "--db", web_db)


def test_story_page_lists_its_figures_with_links(client):
    """A story's page lists its figures, linked to their timelines, disputes and changes."""
    story = client.get("/stories?format=json").json()[0]["story"]
    html = client.get(f"/stories/{story}").text
    assert f'href="/figures/hostages?story={story}"' in html
    assert f"/stories/{story}/disputes" in html and f"/stories/{story}/changes" in html
    assert client.get("/stories/no-such-story").status_code == 404


def test_figure_page_carries_estimates_points_quotes_and_links(client, web_db):
    """The figure page's chart data has the estimate line with its band, and each claim with its quote and link."""
    res = client.get("/figures/hostages?aspect=held")
    assert res.status_code == 200
    html = res.text
    start = html.index('id="chart-data">') + len('id="chart-data">')
    data = json.loads(html[start:html.index("</script>", start)])
    held = next(s for s in data if s["label"] == "hostages held")
    assert held["estimate"]["x"] == ["2031-03-02", "2031-03-05", "2031-03-09", "2031-03-12"]
    # a bound is null where the interval is open ("at least 38" has no high)
    assert all((lo is None or lo <= y) and (hi is None or y <= hi)
               for y, lo, hi in zip(held["estimate"]["y"], held["estimate"]["low"], held["estimate"]["high"]))
    assert sorted(held["points"]["y"]) == [38, 40, 55, 60, 70]
    i = held["points"]["y"].index(55)
    assert "Morning Courier" in held["points"]["hover"][i] and "Some 55 hostages" in held["points"]["hover"][i]
    assert held["points"]["href"][i].startswith(f"/documents/{_doc_id(web_db, '02_courier_2031-03-05.txt')}#claim-")


def test_figure_filters_and_subsets(client):
    """Filters in the query string narrow the chart; an unknown figure or a bad date is a clear error."""
    html = client.get("/figures/hostages?since=2031-03-06&source=Evening+Gazette").text
    assert "2 claims" in html and "Morning Courier" not in html
    assert 'name="since" value="2031-03-06"' in html
    without = client.get("/figures/hostages").text
    assert "hostages held (women)" not in without.split('id="chart-data">')[1]
    assert "hostages held (women)" in client.get("/figures/hostages?subsets=1").text.split('id="chart-data">')[1]
    res = client.get("/figures/no_such_figure")
    assert res.status_code == 404 and "unknown figure" in res.text
    res = client.get("/figures/hostages?since=March")
    assert res.status_code == 400 and "YYYY-MM-DD" in res.text


def _chart(html: str) -> list[dict]:
    start = html.index('id="chart-data">') + len('id="chart-data">')
    return json.loads(html[start:html.index("</script>", start)])


def test_a_large_figure_is_drawn_for_its_latest_dates(client, monkeypatch):
    """Past the window, the chart holds only the latest dates with at most that many claims, and says so."""
    from tracker.web import charts

    monkeypatch.setattr(charts, "WINDOW", 3)
    html = client.get("/figures/hostages?aspect=held").text
    assert "6 claims match; the chart shows the 2 since 2031-03-06" in html
    held = next(s for s in _chart(html) if s["label"] == "hostages held")
    assert sorted(held["points"]["y"]) == [38, 40] and held["estimate"]["x"] == ["2031-03-09", "2031-03-12"]
    monkeypatch.setattr(charts, "WINDOW", 1)  # a latest date holding more than the window is shown whole
    html = client.get("/figures/hostages?aspect=held&until=2031-03-09&subsets=1").text
    assert "since 2031-03-09" in html
    assert sorted(y for s in _chart(html) for y in s["points"]["y"]) == [9, 40]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_figure_download_equals_the_cli(client, runner, web_db, fmt):
    """The figure page's download is byte for byte what `tracker figure` prints for the same filters."""
    res = client.get(f"/figures/hostages?aspect=held&since=2031-03-03&format={fmt}")
    assert res.status_code == 200 and "attachment" in res.headers["content-disposition"]
    cli = _cli(runner, "figure", "hostages", "--aspect", "held", "--since", "2031-03-03", "--format", fmt, "--db", web_db)
    assert res.content == cli


@pytest.mark.parametrize("kind", ["disputes", "changes"])
def test_disputes_and_changes_pages_and_downloads_equal_the_cli(client, runner, web_db, kind):
    """A story's disputes and changes show in a table; their downloads equal `tracker disputes|changes`."""
    story = client.get("/stories?format=json").json()[0]["story"]
    html = client.get(f"/stories/{story}/{kind}?figure=hostages").text
    if kind == "disputes":
        assert "Valley Front statement" in html and "spokesman for the families" in html and "2031-03-05" in html
    else:
        assert "2031-03-02 → 2031-03-05" in html and "step" in html
    for fmt in ("csv", "json"):
        got = client.get(f"/stories/{story}/{kind}?figure=hostages&format={fmt}").content
        assert got == _cli(runner, kind, "hostages", "--format", fmt, "--db", web_db)


def test_document_page_marks_every_claim_with_its_id(client, web_db):
    """A document shows its text with each claim marked (id claim-<id>), its metadata and link."""
    doc_id = _doc_id(web_db, "03_gazette_2031-03-09.txt")
    html = client.get(f"/documents/{doc_id}").text
    claims = client.get(f"/documents/{doc_id}?format=json").json()
    assert len(claims) == 3
    for c in claims:
        assert f'id="claim-{c["id"]}"' in html
        assert f'>{c["text"]}</mark>' in html
    assert "Evening Gazette" in html and 'href="https://gazette.example/eleven-home"' in html
    assert client.get("/documents/999999").status_code == 404


def test_document_versions_are_listed(client, web_db, tmp_path, runner):
    """A page stored again with other text is a new version; each version's page links the other."""
    changed = tmp_path / "06_courier_update.txt"
    changed.write_text((ARTICLES / "02_courier_2031-03-05.txt").read_text().replace("Some 55", "Some 52"))
    assert runner.invoke(app, ["ingest", str(changed), "--db", web_db, "-q"]).exit_code == 0
    new_id = _doc_id(web_db, str(changed))
    old_id = _doc_id(web_db, "02_courier_2031-03-05.txt")
    html = client.get(f"/documents/{new_id}").text
    assert "Versions of this page" in html and f'href="/documents/{old_id}"' in html
    assert "(superseded)" in client.get(f"/documents/{old_id}").text


def test_article_markup_is_shown_as_text_everywhere(client, web_db):
    """An article's <script>, markup in its title and outlet are escaped on every page that shows them."""
    doc_id = _doc_id(web_db, "04_xss_2031-03-12.txt")
    for path in (f"/documents/{doc_id}", "/figures/hostages", "/stories"):
        html = client.get(path).text
        assert "<script>window" not in html and "<img src=x" not in html and "<i>Herald" not in html
    doc = client.get(f"/documents/{doc_id}").text
    assert "&lt;script&gt;window.__xss_body = 1&lt;/script&gt;" in doc
    assert "&lt;script&gt;window.__xss_title = 1&lt;/script&gt;Talks stall" in doc
    fig = client.get("/figures/hostages").text
    assert "Hostile &amp;lt;i&amp;gt;Herald" in fig or "Hostile \\u0026lt;i\\u0026gt;Herald" in fig


def test_pages_send_a_strict_content_security_policy(client):
    """Only the server's own scripts run: no inline script, no CDN."""
    csp = client.get("/stories").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert client.get("/stories").headers["x-content-type-options"] == "nosniff"


def test_plotly_is_served_from_the_installed_package(client):
    """plotly.min.js comes from the plotly package's own file; static names never reach the file system."""
    import plotly

    res = client.get("/static/plotly.min.js")
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert res.status_code == 200 and res.content == bundled.read_bytes()
    assert client.get("/static/chart.js").status_code == 200
    for path in ("/static/..%2Fapp.py", "/static/app.py", "/static/%2Fetc%2Fpasswd", "/static/templates"):
        assert client.get(path).status_code == 404


def test_csrf_tokens_are_signed_and_expire():
    """A token from this server passes; another server's, a forged or an old one does not."""
    csrf = Csrf(b"k" * 32)
    token = csrf.token()
    assert csrf.valid(token)
    assert not Csrf(b"o" * 32).valid(token)
    assert not csrf.valid(None) and not csrf.valid("") and not csrf.valid("123.abc")
    stamp = "1000"
    assert not csrf.valid(f"{stamp}.{csrf._sign(stamp)}")


def test_a_post_without_a_valid_token_is_refused(client):
    """A write without this server's form token is refused before anything is changed."""
    for data in ({}, {"csrf": "1.forged", "why": "x"}):
        res = client.post("/claims/1/reject", data=data)
        assert res.status_code == 403 and "token" in res.text


def test_read_only_server_refuses_writes_and_hides_forms(web_db):
    """--read-only: every POST is 403 even with a valid token, and pages carry no forms that write."""
    with TestClient(create_app(web_db, read_only=True, secret=b"s" * 32)) as c:
        token = Csrf(b"s" * 32).token()
        res = c.post("/claims/1/reject", data={"csrf": token, "why": "wrong"})
        assert res.status_code == 403 and "read-only" in res.text
        assert 'method="post"' not in c.get("/stories").text
        if decisions_available():
            html = c.get("/review").text
            assert 'method="post"' not in html


def test_host_names_are_checked_when_asked(web_db):
    """A server bound to this machine answers only requests naming it (no DNS rebinding)."""
    with TestClient(create_app(web_db, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1") as c:
        assert c.get("/stories").status_code == 200
        assert c.get("/stories", headers={"host": "evil.example"}).status_code == 400


def test_serve_command_is_documented(runner):
    """`tracker serve --help` names its options; the default host is this machine only."""
    out = runner.invoke(app, ["serve", "--help"]).stdout
    for option in ("--db", "--host", "--port", "--read-only", "127.0.0.1"):
        assert option in out


def test_serve_on_a_port_in_use_is_one_clear_error(runner, web_db):
    """A port another program holds is one line naming the address, exit 1, no traceback."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        res = runner.invoke(app, ["serve", "--db", web_db, "--port", str(port)])
    assert res.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in res.stderr and "Traceback" not in res.output


@pytest.mark.skipif(not decisions_available(), reason="tracker.store.decisions is not in this build")
def test_review_page_rejects_a_claim_and_the_figure_loses_it(client, web_db):
    """Rejecting a claim from the review page (with the form's token) removes it from the figure's chart."""
    engine = store.make_engine(web_db)
    claim = next(c for c in store.query_claims(engine, "hostages") if c.value == 70)
    html = client.get("/review").text
    token = html.split('name="csrf" value="')[1].split('"')[0]
    res = client.post(f"/claims/{claim.id}/reject", data={"csrf": token, "why": "a statement, not a count",
                                                           "next": "/review"}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/review"
    assert 70 not in [c.value for c in store.query_claims(engine, "hostages")]
    assert "More than 70 hostages" not in client.get("/figures/hostages").text


@pytest.mark.skipif(not decisions_available(), reason="tracker.store.decisions is not in this build")
def test_review_fix_and_confirm_and_their_bad_input(client, web_db):
    """A fix changes the stored value; a bad number or a reject without a reason is refused; `next` stays on site."""
    engine = store.make_engine(web_db)
    claim = next(c for c in store.query_claims(engine, "hostages") if c.value == 60)
    token = client.get("/review").text.split('name="csrf" value="')[1].split('"')[0]
    res = client.post(f"/claims/{claim.id}/fix", data={"csrf": token, "value": "62", "why": "the wire corrected it"},
                      follow_redirects=False)
    assert res.status_code == 303
    assert [c.value for c in store.query_claims(engine, "hostages") if c.id == claim.id] == [62]
    res = client.post(f"/claims/{claim.id}/fix", data={"csrf": token, "value": "sixty"})
    assert res.status_code == 400 and "value must be a number" in res.text
    res = client.post(f"/claims/{claim.id}/reject", data={"csrf": token})
    assert res.status_code == 400 and "why" in res.text
    res = client.post(f"/claims/{claim.id}/confirm", data={"csrf": token, "next": "//evil.example/"},
                      follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/review"


def test_every_page_works_on_postgresql(pg_url, runner, tmp_path):
    """The same pages and downloads on a PostgreSQL database (skips without PostgreSQL binaries)."""
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert runner.invoke(app, ["ingest", str(tmp_path / "articles"), "--db", pg_url, "-q"]).exit_code == 0
    engine = store.make_engine(pg_url)
    with TestClient(create_app(engine)) as c:
        doc_id = store.query_claims(engine, "hostages")[0].document_id
        for path in ("/stories", "/stories/all", "/figures/hostages?subsets=1&since=2031-03-01",
                     f"/documents/{doc_id}", "/stories/all/disputes", "/stories/all/changes"):
            assert c.get(path).status_code == 200, path
        assert "More than 70 hostages" in c.get("/figures/hostages").text
        got = c.get("/figures/hostages?format=csv").content
        assert got == _cli(runner, "figure", "hostages", "--format", "csv", "--db", pg_url)
    engine.dispose()


def test_a_file_sent_as_the_token_is_refused(client):
    """A multipart POST with a file where the token should be is a refusal, not a server error."""
    res = client.post("/claims/1/reject", files={"csrf": ("token.txt", b"1.abc")}, data={"why": "x"})
    assert res.status_code == 403
