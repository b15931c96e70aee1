"""Concurrent users against a running server: each thread signs in through the real form (with its CSRF
token) as one of the demo roles, then opens its role's pages in a shuffled loop until the time is up.
`python -m bench.load --base-url http://127.0.0.1:PORT --out FILE [--users 20 --seconds 40]`.

Needs no Django: it is an HTTP client (requests), like the people it stands for."""

import argparse
import json
import random
import re
import threading
import time

import requests

from bench.core import percentile
from bench.lists import TRAFFIC

PASSWORD = "GreenQom-1405"  # noqa: S105 - the demo accounts' published password (README)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 120


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=TIMEOUT)
    page.raise_for_status()
    token = CSRF_INPUT.search(page.text)
    if token is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {username} answered {answer.status_code}, not a redirect")
    return session


def run(
    base_url: str, *, users: int, seconds: float, detail_paths: dict, password: str, seed: int = 1
) -> dict:
    roles = sorted(TRAFFIC)
    sessions = []
    for number in range(users):
        role = roles[number % len(roles)]
        sessions.append((role, sign_in(base_url, role, password)))
    samples: list[tuple[str, float, int]] = []  # path, seconds, status (0: no answer)
    lock = threading.Lock()
    start = threading.Barrier(users + 1)
    deadline: list[float] = []

    def user(number: int, role: str, session: requests.Session) -> None:
        paths = TRAFFIC[role] + ([detail_paths[role]] if role in detail_paths else [])
        rng = random.Random(seed * 1000 + number)  # noqa: S311 - a traffic mix, not a secret
        start.wait()
        while time.perf_counter() < deadline[0]:
            path = rng.choice(paths)
            began = time.perf_counter()
            try:
                status = session.get(base_url + path, allow_redirects=False, timeout=TIMEOUT).status_code
            except requests.RequestException:
                status = 0
            with lock:
                samples.append((path, time.perf_counter() - began, status))

    threads = [
        threading.Thread(target=user, args=(number, role, session), daemon=True)
        for number, (role, session) in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    # Requests started before the deadline finish after it: the rate is over the whole time they took.
    elapsed = time.perf_counter() - began
    timings = [duration for _path, duration, _status in samples]
    errors = [(path, status) for path, _duration, status in samples if status != 200]
    per_path = {}
    for path in sorted({path for path, _duration, _status in samples}):
        durations = [duration for p, duration, _status in samples if p == path]
        per_path[path] = {"requests": len(durations), "p50_seconds": percentile(durations, 0.5)}
    return {
        "users": users,
        "seconds": elapsed,
        "requests": len(samples),
        "per_second": len(samples) / elapsed if elapsed else None,
        "p50_seconds": percentile(timings, 0.5),
        "p95_seconds": percentile(timings, 0.95),
        "errors": len(errors),
        "error_samples": sorted({f"{path} -> {status}" for path, status in errors})[:10],
        "per_path": per_path,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--details", default="{}", help="JSON: role -> a detail page's path")
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args(argv)
    result = run(
        args.base_url.rstrip("/"),
        users=args.users,
        seconds=args.seconds,
        detail_paths=json.loads(args.details),
        password=args.password,
    )
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
