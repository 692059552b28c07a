import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db.utils import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check():
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x7$kq!2v" * 8,
        "DJANGO_ALLOWED_HOSTS": "glossary.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


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


@pytest.mark.django_db
def test_admin_requires_staff(client):
    client.force_login(User.objects.create_user("reader", password="pw"))

    response = client.get("/admin/articles/article/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_database_down_gives_a_clear_503_page(client, imported, monkeypatch):
    import articles.views

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(articles.views, "get_object_or_404", down)

    response = client.get("/ko/articles/crowdsourcing/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Traceback" not in response.content.decode()


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
