import time


def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.05):
    """Waits for work another thread or process does (a Celery worker, a browser); fails on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
