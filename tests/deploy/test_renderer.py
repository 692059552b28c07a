"""The stored pages' renderer as deployed: its own process beside an app server, racing a command-line import."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.deploy.conftest import ROOT, app_server, fetch

TERM = "/fr/terms/social-media/"


@contextmanager
def renderer(env: dict[str, str], log: Path) -> Iterator[None]:
    """Run `render_stored_pages --follow` as bin/serve and a deployment do; its passes are written to `log`."""
    command = [sys.executable, "manage.py", "render_stored_pages", "--follow", "--interval", "0.1"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output)
        try:
            yield
        finally:
            process.terminate()
            process.wait(timeout=10)


def _passes(log: Path) -> int:
    return log.read_text().count("page(s) rendered")


def _wait_for_passes(log: Path, count: int, *, seconds: float = 60) -> None:
    started = time.monotonic()
    while _passes(log) < count:
        assert time.monotonic() - started < seconds, log.read_text()
        time.sleep(0.05)


def test_an_import_is_on_every_read_while_the_renderer_catches_up_and_after(site_env, edit_article, tmp_path):
    log = tmp_path / "renderer.log"
    with app_server(site_env) as app, renderer(site_env, log):
        _wait_for_passes(log, 1)  # the first pass renders every page
        before = fetch(f"http://{app}{TERM}")[2]
        edit_article("fr", "title: Crowdsourcing", "title: Production participative")
        during = []
        while _passes(log) < 2:
            during.append(fetch(f"http://{app}{TERM}")[2])
        after = [fetch(f"http://{app}{TERM}")[2] for _ in range(3)]

    assert "Production participative" not in before
    assert all("Production participative" in page for page in [*during, *after])  # live, then stored: never stale
    assert len(set(after)) == 1
    assert "0 page(s) rendered" not in log.read_text().splitlines()[1]
