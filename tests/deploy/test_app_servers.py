"""Several app servers: no state in a process, so any server serves what any other process saved, at once."""

from deploy.nginx import serving_nginx
from tests.core.conftest import _free_port
from tests.deploy.conftest import app_server, fetch, stamp_of

ARTICLE = "/nb/articles/crowdsourcing/"
# As behind one proxy: both servers see the site's one host name (pages link to themselves with it).
SITE = {"Host": "127.0.0.1"}


def test_two_app_servers_share_the_database_and_redis_and_serve_a_save_at_once(
    site_env, redis_url, nginx_prefix, edit_article
):
    env = {**site_env, "CACHE_URL": redis_url}
    with (
        app_server(env) as first,
        app_server(env) as second,
        serving_nginx(
            port=_free_port(), servers=[first, second], prefix=nginx_prefix, stamp=stamp_of(site_env)
        ) as proxy,
    ):
        before = fetch(f"http://{first}{ARTICLE}", headers=SITE)
        # The second server's answer comes from the page cache the first one filled in Redis.
        assert fetch(f"http://{second}{ARTICLE}", headers=SITE)[2] == before[2]
        assert fetch(proxy + ARTICLE)[0] == 200

        assert "Hva er Crowdsourcing?" in before[2]
        edit_article("nb", "## Hva er Crowdsourcing?", "## Redigert setning", env=env)

        assert "Redigert setning" in fetch(f"http://{second}{ARTICLE}", headers=SITE)[2]
        assert "Redigert setning" in fetch(f"http://{first}{ARTICLE}", headers=SITE)[2]
        # nginx's cache key holds the stamp the import's commit wrote: the next read through it is the save.
        served_by_nginx = {fetch(proxy + ARTICLE)[2] for _ in range(4)}

    assert len(served_by_nginx) == 1
    assert "Redigert setning" in served_by_nginx.pop()


def test_an_etag_from_one_app_server_is_valid_on_the_other(site_env, redis_url):
    env = {**site_env, "CACHE_URL": redis_url}
    with app_server(env) as first, app_server(env) as second:
        etag = fetch(f"http://{first}{ARTICLE}", headers=SITE)[1]["ETag"]

        status, headers, _ = fetch(f"http://{second}{ARTICLE}", headers={**SITE, "If-None-Match": etag})

    assert status == 304
    assert headers["ETag"] == etag
