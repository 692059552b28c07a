"""Fill deploy/nginx.conf and run nginx from a folder of its own (tests, benchmarks, a first deployment).

    python deploy/nginx.py --listen 80 --server 10.0.0.2:8000 --server 10.0.0.3:8000 --prefix /srv/nginx \
        --stamp /srv/glossary/var/glossary.generation > nginx.conf

`serving_nginx` runs `nginx -p PREFIX -c nginx.conf -e error.log -g 'daemon off; pid …'` in the foreground: every
file it writes is under PREFIX, so no system configuration is read or touched and root is not needed.
"""

import argparse
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")


JS_MODULE = Path("/usr/lib/nginx/modules/ngx_http_js_module.so")  # Debian's libnginx-mod-http-js


def nginx_config(*, listen: str, servers: list[str], prefix: Path, stamp: Path, js_module: Path = JS_MODULE) -> str:
    """Return deploy/nginx.conf for these app servers (HOST:PORT each), with its files under `prefix`.

    `stamp` is the app's content stamp file (GLOSSARY_GENERATION_FILE): part of every cache key, so that a save
    changes every key.
    """
    if not servers:
        raise ValueError("nginx needs at least one app server")
    values = {
        "{{listen}}": listen,
        "{{servers}}": "\n        ".join(f"server {server};" for server in servers),
        "{{cache}}": str(prefix / "cache"),
        "{{stamp}}": str(Path(stamp).resolve()),
        "{{scripts}}": str(TEMPLATE.parent.resolve()),
        "{{js_module}}": str(js_module),
    }
    text = TEMPLATE.read_text("utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


@contextmanager
def serving_nginx(
    *, port: int, servers: list[str], prefix: Path, stamp: Path, executable: str | None = None
) -> Iterator[str]:
    """Run nginx on 127.0.0.1:`port` in front of `servers` until the block ends; yield its base URL."""
    executable = executable or shutil.which("nginx") or "/usr/sbin/nginx"
    for folder in ("temp", "cache", "logs"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(listen=f"127.0.0.1:{port}", servers=servers, prefix=prefix, stamp=stamp), "utf-8")
    command = [
        executable,
        "-p", f"{prefix}/",
        "-c", str(config),
        "-e", str(prefix / "logs" / "error.log"),
        "-g", f"daemon off; pid {prefix / 'nginx.pid'};{_user()}",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _user() -> str:
    # Started by root, nginx's workers would run as nobody, who may not write into a folder root made.
    return " user root;" if os.geteuid() == 0 else ""


def _wait_for_port(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"nginx exited with {server.returncode}: {server.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx does not listen on 127.0.0.1:{port}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Print deploy/nginx.conf filled for these app servers.")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server", action="append", required=True, help="HOST:PORT of an app server (repeat)")
    parser.add_argument("--prefix", type=Path, required=True, help="the folder nginx runs in (nginx -p)")
    parser.add_argument("--stamp", type=Path, required=True, help="the app's GLOSSARY_GENERATION_FILE")
    parser.add_argument("--js-module", type=Path, default=JS_MODULE, help="njs (Debian: libnginx-mod-http-js)")
    options = parser.parse_args()
    config = nginx_config(
        listen=options.listen, servers=options.server, prefix=options.prefix, stamp=options.stamp,
        js_module=options.js_module,
    )  # fmt: skip
    print(config, end="")


if __name__ == "__main__":
    main()
