import time
from pathlib import Path

import pytest

from deploy.nginx import nginx_config, serving_nginx
from tests.core.conftest import _free_port
from tests.deploy.conftest import app_server, fetch, stamp_of

ARTICLE = "/fr/articles/crowdsourcing/"


def test_the_template_lists_every_app_server_and_keeps_files_under_the_prefix(tmp_path):
    stamp = tmp_path / "glossary.generation"
    config = nginx_config(
        listen="127.0.0.1:8080", servers=["10.0.0.2:8000", "10.0.0.3:8000"], prefix=tmp_path, stamp=stamp
    )

    assert "server 10.0.0.2:8000;" in config
    assert "server 10.0.0.3:8000;" in config
    assert f"proxy_cache_path {tmp_path / 'cache'} " in config
    assert f'js_var $glossary_stamp_file "{stamp}";' in config
    assert "$content_stamp;" in config.split("proxy_cache_key", 1)[1].split("\n", 1)[0]
    assert "{{" not in config


def test_the_template_refuses_no_app_server(tmp_path):
    with pytest.raises(ValueError, match="at least one app server"):
        nginx_config(listen="80", servers=[], prefix=tmp_path, stamp=tmp_path / "stamp")


def test_nginx_keeps_pages_and_revalidates_them_with_the_app(site_env, nginx_prefix):
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=stamp_of(site_env)) as proxy,
    ):
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
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=stamp_of(site_env)) as proxy,
    ):
        statuses = {path: [fetch(proxy + path)[1].get("X-Cache-Status") for _ in range(2)] for path in PRIVATE}

    assert all(second != "HIT" for _, second in statuses.values()), statuses


PRIVATE = ["/admin/login/", "/fr/articles/nothing/", "/crowdsourcing", "/healthz"]


def test_a_save_is_on_every_readers_next_read_through_the_proxy(site_env, nginx_prefix, edit_article):
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=stamp_of(site_env)) as proxy,
    ):
        assert "L'essentiel" in fetch(proxy + ARTICLE)[2]
        assert fetch(proxy + ARTICLE)[1]["X-Cache-Status"] == "HIT"
        assert [fetch(proxy + "/fr/terms/")[1]["X-Cache-Status"] for _ in range(2)] == ["MISS", "HIT"]

        edit_article("fr", "L'essentiel", "En résumé")
        after = [fetch(proxy + ARTICLE) for _ in range(2)]
        index = fetch(proxy + "/fr/terms/")  # every page's key changed, not only the saved article's

    assert [answer[1]["X-Cache-Status"] for answer in after] == ["MISS", "HIT"]
    assert all("En résumé" in answer[2] and "L'essentiel" not in answer[2] for answer in after)
    assert index[1]["X-Cache-Status"] == "MISS"


def test_an_editor_bypasses_the_proxy_cache(site_env, nginx_prefix):
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=stamp_of(site_env)) as proxy,
    ):
        fetch(proxy + ARTICLE)
        editor = fetch(proxy + ARTICLE, headers={"Cookie": "sessionid=an-editor"})

    assert editor[0] == 200
    assert editor[1]["X-Cache-Status"] == "BYPASS"


def test_without_a_stamp_file_nginx_keeps_pages_by_their_cache_control(site_env, nginx_prefix, tmp_path):
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=tmp_path / "missing") as proxy,
    ):
        answers = [fetch(proxy + ARTICLE) for _ in range(2)]

    assert [answer[0] for answer in answers] == [200, 200]
    assert [answer[1]["X-Cache-Status"] for answer in answers] == ["MISS", "HIT"]


def test_nginx_runs_from_its_own_folder(nginx_prefix, site_env):
    with (
        app_server(site_env) as app,
        serving_nginx(port=_free_port(), servers=[app], prefix=nginx_prefix, stamp=stamp_of(site_env)),
    ):
        written = {path.relative_to(nginx_prefix).parts[0] for path in Path(nginx_prefix).rglob("*")}

    assert written <= {"temp", "cache", "logs", "nginx.conf", "nginx.pid"}
