"""A real S3-speaking server for the tests (moto in server mode, from PyPI), in its own process.

The portal talks to it over HTTP with boto3 exactly as it would to MinIO or AWS: signed requests,
buckets, listings, signed download addresses.
"""

import contextlib
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # the fake server's, valid nowhere else
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@contextlib.contextmanager
def s3_server():
    """Starts the server on a free port; yields its address; stops it at the end."""
    port = free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter's script and arguments
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the S3 test server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def new_bucket(endpoint: str) -> str:
    name = f"private-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def private_storage_settings(endpoint: str, bucket: str) -> dict:
    """The STORAGES entry the settings build for PRIVATE_STORAGE=s3, pointed at the test server."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }


def storage_env(endpoint: str, bucket: str) -> dict:
    """The same, as the environment a separate portal process reads."""
    return {
        "PRIVATE_STORAGE": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": REGION,
    }
