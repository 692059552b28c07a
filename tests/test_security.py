import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


SECRET_KEY = "x7$kq!2v" * 8


def run_with_environment(arguments: list[str], **environment: str) -> subprocess.CompletedProcess:
    """Run a command with this environment's DJANGO_ variables replaced by `environment`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env={**env, **environment}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "proxy",
    [
        {},
        # The documented settings behind a TLS-terminating proxy that reports the client in X-Forwarded-For.
        {"DJANGO_BEHIND_TLS_PROXY": "true", "DJANGO_CLIENT_IP_HEADER": "X-Forwarded-For"},
    ],
)
def test_production_settings_pass_the_deploy_check(proxy):
    result = run_with_environment(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="glossary.example.org",
        **proxy,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_with_environment(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
    )

    assert result.stdout.strip() == "False", result.stderr


def test_a_missing_secret_key_without_debug_is_a_clear_configuration_error():
    result = run_with_environment(["manage.py", "check"])

    assert result.returncode != 0
    assert "Configuration error: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_send_a_content_security_policy_without_inline_scripts(client, imported):
    response = client.get("/en/articles/crowdsourcing/")

    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "<script" not in response.content.decode()


def test_pages_send_security_headers(client, imported):
    response = client.get("/en/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_pages_load_scripts_only_from_files(admin_client, imported):
    page = admin_client.get(f"/admin/articles/article/{imported.pk}/change/").content.decode()

    for tag in page.split("<script")[1:]:
        assert "src=" in tag.split(">")[0] or 'type="application/json"' in tag.split(">")[0], tag[:80]


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client):
    User.objects.create_superuser("chief", "chief@example.com", "right-password")
    for _ in range(5):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "chief", "password": "right-password"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


PROXY = "10.0.0.1"


def login(client: Client, password: str, *, forwarded_for: str):
    return client.post(
        "/admin/login/",
        {"username": "chief", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_a_proxy_each_client_is_locked_out_on_its_own(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    User.objects.create_superuser("chief", "chief@example.com", "right-password")
    attacker, colleague = Client(), Client()
    for _ in range(5):
        login(attacker, "wrong", forwarded_for="203.0.113.7")

    # The attacker writes another address into the header; the proxy appends the one it really saw.
    assert login(attacker, "right-password", forwarded_for="198.51.100.9, 203.0.113.7").status_code == 429
    assert login(colleague, "right-password", forwarded_for="198.51.100.9").status_code == 302
    assert "_auth_user_id" in colleague.session


@pytest.mark.django_db
def test_without_a_client_ip_header_setting_the_forwarded_header_is_ignored(settings):
    settings.CLIENT_IP_HEADER = ""
    User.objects.create_superuser("chief", "chief@example.com", "right-password")
    for _ in range(5):
        login(Client(), "wrong", forwarded_for="203.0.113.7")

    # Anyone can send the header: without the setting a new address in it must not escape the lockout.
    assert login(Client(), "right-password", forwarded_for="198.51.100.9").status_code == 429


@pytest.mark.django_db
def test_with_two_trusted_proxies_the_client_is_the_second_address_from_the_right(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 2
    User.objects.create_superuser("chief", "chief@example.com", "right-password")
    for _ in range(5):
        login(Client(), "wrong", forwarded_for="203.0.113.7, 10.0.0.2")

    assert login(Client(), "right-password", forwarded_for="198.51.100.9, 203.0.113.7, 10.0.0.2").status_code == 429
    assert login(Client(), "right-password", forwarded_for="198.51.100.9, 10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_admin_requires_staff(client):
    client.force_login(User.objects.create_user("reader", password="pw"))

    response = client.get("/admin/articles/article/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


DATABASE_DOWN_PROBE = """
import django
django.setup()
from django.test import Client
for path, language in (("/ko/articles/crowdsourcing/", "ko"), ("/fr/terms/", "fr")):
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE=language)
    print(response.status_code, response.get("Retry-After"), response.content.decode().replace("\\n", " "))
"""


def test_database_down_gives_a_clear_503_page_in_the_visitors_language():
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "postgres://glossary@127.0.0.1:1/glossary",  # port 1: nothing listens, as when it is down
        "CACHE_URL": "dummycache://",
    }
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout + result.stderr
    korean, french = lines
    assert korean.startswith("503 60 ") and french.startswith("503 60 "), result.stdout + result.stderr
    assert '<html lang="ko">' in korean and "데이터베이스" in korean
    assert '<html lang="fr">' in french and "base de données" in french
    assert "Traceback" not in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/de/articles/crowdsourcing/",
        "/en/articles/" + "x" * 5000 + "/",
        "/en/terms/?letter=%ff%fe&page=-1",
        "/en/search/?q=%ff%00%fe",
        "/en/%ff%fe/",
        "/en/terms/%C0%AF/",
        "/i18n/switch/en/?next=%ff",
        "/api/terms/?lang=en&page=999999",
    ],
)
def test_malformed_requests_get_clean_client_errors_never_a_500(client, path):
    response = client.get(path)

    assert response.status_code < 500, (path, response.status_code)


def test_not_found_page_is_in_the_visitors_language(client, imported):
    response = client.get("/fr/articles/nothing-here/")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "visitor", "heading"),
    [
        ("/de/articles/crowdsourcing/", "fr", "Page introuvable"),
        ("/xx-yy/terms/", "ko", "페이지를 찾을 수 없습니다"),
        ("/%ff%fe/", "nb", "Fant ikke siden"),
        ("/%C0%AF/terms/", "zh-hans", "找不到页面"),
    ],
)
def test_unknown_language_prefixes_and_broken_bytes_get_a_not_found_page_in_the_visitors_language(
    client, path, visitor, heading
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=visitor)

    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{visitor}">' in page
    assert f"<h1>{heading}</h1>" in page


@pytest.mark.django_db
def test_a_forged_host_gets_a_bad_request_page_in_the_visitors_language(client):
    response = client.get("/ko/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="ko">' in page and "잘못된 요청" in page
    assert "Traceback" not in page and "ALLOWED_HOSTS" not in page


@pytest.mark.django_db
def test_front_matter_cannot_run_code_through_yaml_tags(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from articles.models import Article

    marker = tmp_path / "ran"
    folder = tmp_path / "articles" / "yaml-attack"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text(
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n\nBody.\n', encoding="utf-8"
    )

    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "articles"), stdout=StringIO())

    assert not marker.exists()
    assert not Article.objects.filter(slug="yaml-attack").exists()


@pytest.mark.parametrize(("asked", "threshold"), [({}, "2"), ({"DJANGO_DB_PREPARED_STATEMENTS": "false"}, "None")])
def test_postgresql_prepares_statements_unless_told_not_to(asked, threshold):
    result = run_with_environment(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))",
        ],
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DATABASE_URL="postgres://glossary@db.example.org/glossary",
        **asked,
    )

    assert result.stdout.strip() == threshold, result.stderr
