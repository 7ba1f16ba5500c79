"""The `tracker serve` command: the web view of a database (tracker.web), served by uvicorn.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; messages on stderr.
"""

from __future__ import annotations

from typing import Optional

import typer

from tracker.cli.options import DbOption, app, err, fail
from tracker.errors import TrackerError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    db: Optional[str] = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (the default is this machine only)."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    read_only: bool = typer.Option(False, "--read-only", help="Browse only: no review forms, every change refused."),
) -> None:
    """Browse the stories, figures and documents in a web browser, and review claims.

    Example: tracker serve --port 8000   (then open http://127.0.0.1:8000)
    """
    import uvicorn

    from tracker.web.app import check_address, create_app

    # On this machine only, requests must name it: a web page elsewhere cannot rebind a name to us.
    hosts = list(LOCAL_HOSTS) if host in LOCAL_HOSTS else None
    try:
        check_address(host, port)
        web = create_app(db, read_only=read_only, allowed_hosts=hosts)
    except TrackerError as exc:
        fail(exc)
    if hosts is None:
        err.print(f"warning: listening on {host}, not this machine only: whoever reaches it can browse"
                  f"{'' if read_only else ' and change'} the claims (--read-only refuses changes)",
                  highlight=False, markup=False)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"serving on http://{shown}:{port}{' (read-only)' if read_only else ''}; Ctrl-C stops",
              highlight=False, markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")
