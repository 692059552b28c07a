import time
from pathlib import Path

import pytest

from deploy.nginx import nginx_config, serving_nginx
from tests.core.conftest import _free_port
from tests.deploy.conftest import app_server, fetch, fetch_until

ARTICLE = "/fr/articles/crowdsourcing/"


def test_the_template_lists_every_app_server_and_keeps_files_under_the_prefix(tmp_path):
    config = nginx_config(listen="127.0.0.1:8080", servers=["10.0.0.2:8000", "10.0.0.3:8000"], prefix=tmp_path)

    assert "server 10.0.0.2:8000;" in config
    assert "server 10.0.0.3:8000;" in config
    assert f"proxy_cache_path {tmp_path / 'cache'} " in config
    assert "{{" not in config


def test_the_template_refuses_no_app_server(tmp_path):
    with pytest.raises(ValueError, match="at least one app server"):
        nginx_config(listen="80", servers=[], prefix=tmp_path)


def test_nginx_keeps_pages_and_revalidates_them_with_the_app(site_env, nginx_prefix):
    with app_server(site_env) as app, serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix) as proxy:
        first = fetch(proxy + ARTICLE)
        second = fetch(proxy + ARTICLE)
        time.sleep(2.1)  # s-maxage=1, counted by nginx in whole seconds: stale now, nginx asks with the ETag
        third = fetch(proxy + ARTICLE)

    assert first[0] == second[0] == third[0] == 200
    assert [first[1]["X-Cache-Status"], second[1]["X-Cache-Status"]] == ["MISS", "HIT"]
    assert third[1]["X-Cache-Status"] == "REVALIDATED"  # the app answered 304
    assert first[2] == second[2] == third[2]
    assert 'rel="canonical" href="http://127.0.0.1:' in first[2]


def test_nginx_does_not_keep_admin_pages_errors_or_redirects(site_env, nginx_prefix):
    with app_server(site_env) as app, serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix) as proxy:
        statuses = {path: [fetch(proxy + path)[1].get("X-Cache-Status") for _ in range(2)] for path in PRIVATE}

    assert all(second != "HIT" for _, second in statuses.values()), statuses


PRIVATE = ["/admin/login/", "/fr/articles/nothing/", "/crowdsourcing", "/healthz"]


def test_a_save_is_on_an_editors_next_read_through_the_proxy_and_then_on_everyones(
    site_env, nginx_prefix, edit_article
):
    with app_server(site_env) as app, serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix) as proxy:
        assert "L'essentiel" in fetch(proxy + ARTICLE)[2]
        assert fetch(proxy + ARTICLE)[1]["X-Cache-Status"] == "HIT"

        edit_article("fr", "L'essentiel", "En résumé")
        editor = fetch(proxy + ARTICLE, headers={"Cookie": "sessionid=an-editor"})
        # The editor's read refreshes nginx's copy, stored a moment after the editor has the page: a reader has the
        # save at once or, if they read in that moment, once s-maxage has passed (fetch_until).
        fetch_until(proxy + ARTICLE, "En résumé")

    assert editor[1]["X-Cache-Status"] == "BYPASS"
    assert "En résumé" in editor[2]


def test_a_save_reaches_every_reader_through_the_proxy_within_the_shared_cache_time(
    site_env, nginx_prefix, edit_article
):
    with app_server(site_env) as app, serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix) as proxy:
        assert "크라우드소싱" in fetch(proxy + "/ko/articles/crowdsourcing/")[2]
        edit_article("ko", "크라우드소싱", "크라우드 소싱 편집")
        saved = time.monotonic()
        while "크라우드 소싱 편집" not in fetch(proxy + "/ko/articles/crowdsourcing/")[2]:
            assert time.monotonic() - saved < 5, "the save is not served within 5 s (s-maxage is 1 s)"
            time.sleep(0.05)


def test_nginx_runs_from_its_own_folder(nginx_prefix, site_env):
    with app_server(site_env) as app, serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix):
        written = {path.relative_to(nginx_prefix).parts[0] for path in Path(nginx_prefix).rglob("*")}

    assert written <= {"temp", "cache", "logs", "nginx.conf", "nginx.pid"}
