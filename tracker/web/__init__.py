"""The web view (`tracker serve`): stories, figures, documents, disputes, changes and the review queue."""

from tracker.web.app import create_app

__all__ = ["create_app"]
