"""Real cache servers for the cache tests (bin/test installs them)."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the cache server exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


SERVERS = {
    # name: (program, command line for a port, CACHE_URL for that port)
    "redis": (
        "redis-server",
        lambda port, folder: ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        "redis://127.0.0.1:{port}/0",
    ),
    "memcached": (
        "memcached",
        lambda port, folder: (
            ["-l", "127.0.0.1", "-p", str(port), "-U", "0"] + (["-u", "nobody"] if os.geteuid() == 0 else [])
        ),
        "pymemcache://127.0.0.1:{port}",
    ),
}


@contextmanager
def cache_server(name: str, folder: Path) -> Iterator[str]:
    """Run a real Redis or memcached server (SERVERS) on a free loopback port; yield its CACHE_URL."""
    program, arguments, url = SERVERS[name]
    executable = shutil.which(program)
    if executable is None:
        pytest.skip(f"{program} is not installed (bin/test installs it)")
    port = _free_port()
    server = subprocess.Popen(
        [executable, *arguments(port, folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port, server)
        yield url.format(port=port)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module", params=sorted(SERVERS))
def cache_server_url(request, tmp_path_factory):
    """A real Redis or memcached server on loopback, for this module's tests (bin/test installs both)."""
    with cache_server(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url
