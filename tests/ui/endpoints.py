"""Whether the servers a UI run is pointed at answer, asked once before any flow starts."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request

PROBE_TIMEOUT = 5


def unanswered(url: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """Why ``url`` gave no HTTP answer (refused, timed out, unknown host...), or None when it
    answered, whatever the status: a 404 or a 500 still shows a server is there."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 (an http(s) URL)
            return None
    except urllib.error.HTTPError:
        return None
    except urllib.error.URLError as error:
        return str(error.reason)
    except (OSError, http.client.HTTPException) as error:
        return str(error) or type(error).__name__
