"""The live apps served for real: `chairside apps` (every notebook at /<name>/) on loopback,
pointed at a Kafka-protocol broker and an inbox, for the browser test and the live-view bench."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.webhook_server import free_port


@contextlib.contextmanager
def marimo_apps(environment: dict[str, str], log: Path) -> Iterator[str]:
    """The apps' base URL while the block runs."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "chairside"), "apps", "--port", str(port)],
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url, timeout=2).close()
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"marimo did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
