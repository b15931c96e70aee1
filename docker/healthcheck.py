"""Container health check: GET /healthz on the local gunicorn; exit 0 only on HTTP 200.

/healthz answers 503 when the database or Redis is unreachable, and urlopen raises on it.
The Host header is the first entry of ALLOWED_HOSTS, so the check passes Django's host
validation whatever hosts the deployment allows (127.0.0.1 might not be one of them).
"""

import os
import sys
import urllib.request

port = os.environ.get("PORT", "8000")
hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"

request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed local URL)
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(f"healthcheck failed: {exc}", file=sys.stderr)
    sys.exit(1)
