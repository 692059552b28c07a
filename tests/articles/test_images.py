import hashlib
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.images import article_image_resolver
from articles.models import Article, ArticleImage, ArticleVersion

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 32
ROOT = Path(__file__).resolve().parents[2]


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("import_articles", str(path), *args, stdout=out)
    return out.getvalue()


def add_image(articles_copy, relative: str, data: bytes) -> Path:
    target = articles_copy / "crowdsourcing" / "img" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def test_import_stores_images_typed_by_their_bytes_not_their_names(articles_copy):
    add_image(articles_copy, "shot.jpg", PNG)
    add_image(articles_copy, "flags/ko.jpeg", JPEG)

    run_import(articles_copy)

    images = {image.path: image for image in ArticleImage.objects.all()}
    assert images["shot.jpg"].content_type == "image/png"
    assert images["flags/ko.jpeg"].content_type == "image/jpeg"
    assert bytes(images["shot.jpg"].data) == PNG
    assert images["shot.jpg"].sha256 == hashlib.sha256(PNG).hexdigest()


def test_an_image_over_the_size_limit_is_refused_naming_it(articles_copy, monkeypatch):
    monkeypatch.setattr("articles.sources.IMAGE_MAX_BYTES", 16)
    add_image(articles_copy, "big.png", PNG)

    with pytest.raises(CommandError) as error:
        run_import(articles_copy)

    assert "img/big.png: the file is 40 bytes; the limit is 16" in str(error.value)
    assert not Article.objects.exists()


def test_an_image_removed_from_the_folder_is_removed_on_reimport(articles_copy):
    image = add_image(articles_copy, "shot.png", PNG)
    run_import(articles_copy)
    image.unlink()

    output = run_import(articles_copy)

    assert not ArticleImage.objects.exists()
    assert "images updated: crowdsourcing" in output


def test_a_skipped_invalid_image_keeps_the_copy_stored_before(articles_copy):
    image = add_image(articles_copy, "shot.png", PNG)
    run_import(articles_copy)
    image.write_bytes(b"not an image")

    with pytest.raises(CommandError, match=r"shot\.png: not an image"):
        run_import(articles_copy, "--skip-invalid")

    assert bytes(ArticleImage.objects.get().data) == PNG


def test_resolve_image_maps_relative_paths_and_listed_hosts_only(articles_copy, settings):
    settings.GLOSSARY_IMAGE_HOSTS = ["images.example.org"]
    add_image(articles_copy, "a b.png", PNG)
    add_image(articles_copy, "sub/c.png", PNG)
    run_import(articles_copy)
    resolve = article_image_resolver(Article.objects.get())
    version = hashlib.sha256(PNG).hexdigest()[:12]

    assert resolve("img/a%20b.png").url == f"/articles/crowdsourcing/img/a%20b.png?v={version}"
    assert resolve("./img/sub/c.png").url == f"/articles/crowdsourcing/img/sub/c.png?v={version}"
    assert resolve("https://images.example.org/x.png").url == "https://images.example.org/x.png"
    for refused in (
        "img/missing.png",
        "img/../img/../../etc/passwd",
        "/img/a%20b.png",
        "img/sub/c.png?raw=1",
        "http://images.example.org/x.png",
        "https://other.example.org/x.png",
        "https://user@images.example.org/x.png",
        "//images.example.org/x.png",
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
        "https://[::1",
    ):
        assert resolve(refused) is None, refused


def test_an_image_is_served_with_its_type_a_long_cache_and_an_etag(client, articles_copy):
    add_image(articles_copy, "shot.jpg", PNG)
    run_import(articles_copy)
    url = article_image_resolver(Article.objects.get())("img/shot.jpg").url

    response = client.get(url)

    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["ETag"] == f'"{hashlib.sha256(PNG).hexdigest()}"'
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_asked_for_with_its_etag_is_not_modified(client, articles_copy):
    add_image(articles_copy, "shot.png", PNG)
    run_import(articles_copy)
    url = article_image_resolver(Article.objects.get())("img/shot.png").url

    response = client.get(url, headers={"If-None-Match": f'"{hashlib.sha256(PNG).hexdigest()}"'})

    assert response.status_code == 304
    assert not response.content


def test_an_old_version_url_is_cached_briefly(client, articles_copy):
    add_image(articles_copy, "shot.png", PNG)
    run_import(articles_copy)

    response = client.get("/articles/crowdsourcing/img/shot.png?v=000000000000")

    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]


def test_unknown_images_and_images_of_unpublished_articles_are_not_found(client, articles_copy):
    add_image(articles_copy, "shot.png", PNG)
    run_import(articles_copy)

    assert client.get("/articles/crowdsourcing/img/other.png").status_code == 404
    assert client.get("/articles/nowhere/img/shot.png").status_code == 404
    ArticleVersion.objects.update(published=False)
    assert client.get("/articles/crowdsourcing/img/shot.png").status_code == 404


def test_images_are_exported_beside_the_article(articles_copy, tmp_path):
    add_image(articles_copy, "sub/shot.png", PNG)
    run_import(articles_copy)

    call_command("export_articles", str(tmp_path / "out"), stdout=StringIO())

    assert (tmp_path / "out" / "crowdsourcing" / "img" / "sub" / "shot.png").read_bytes() == PNG


def csp_img_src(hosts: str) -> list[str]:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "GLOSSARY_IMAGE_HOSTS": hosts}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    return json.loads(result.stdout) if result.returncode == 0 else [result.stderr.strip().splitlines()[-1]]


def test_content_security_policy_allows_exactly_the_listed_image_hosts():
    assert csp_img_src("") == ["'self'", "data:"]
    assert csp_img_src("Images.Example.org,upload.wikimedia.org") == [
        "'self'",
        "data:",
        "https://images.example.org",
        "https://upload.wikimedia.org",
    ]


def test_an_image_host_that_is_not_a_host_name_is_refused_at_startup():
    assert "is not a host name" in csp_img_src("example.org; script-src *")[0]


def test_an_imported_article_shows_its_images_and_reports_the_missing_ones(articles_copy, client):
    add_image(articles_copy, "shot.png", PNG)
    english = articles_copy / "crowdsourcing" / "en.md"
    english.write_text(
        english.read_text(encoding="utf-8") + "\n![A screenshot](img/shot.png)\n\n![Gone](img/gone.png)\n",
        encoding="utf-8",
    )
    line = len(english.read_text(encoding="utf-8").splitlines())

    run_import(articles_copy)

    article = Article.objects.get()
    url = article_image_resolver(article)("img/shot.png").url
    html = article.value("body_html", "en")
    assert f'src="{url}"' in html
    assert 'alt="A screenshot"' in html
    assert "Gone" in html
    [finding] = [f for f in article.language_findings("en") if f.code == "markup.image-unavailable"]
    assert (finding.line, finding.params["src"]) == (line, "img/gone.png")
    assert client.get(url).content == PNG


def test_an_image_added_later_is_shown_without_the_text_changing(articles_copy):
    english = articles_copy / "crowdsourcing" / "en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\n![A screenshot](img/shot.png)\n", encoding="utf-8")
    run_import(articles_copy)
    add_image(articles_copy, "shot.png", PNG)

    run_import(articles_copy)

    article = Article.objects.get()
    assert 'alt="A screenshot"' in article.value("body_html", "en")
    assert not [f for f in article.language_findings("en") if f.code == "markup.image-unavailable"]


def test_an_image_on_a_listed_host_is_shown_and_others_are_not(articles_copy, settings):
    settings.GLOSSARY_IMAGE_HOSTS = ["images.example.org"]
    english = articles_copy / "crowdsourcing" / "en.md"
    english.write_text(
        english.read_text(encoding="utf-8")
        + "\n![Listed](https://images.example.org/a.png) ![Other](https://tracker.example.com/p.gif)\n",
        encoding="utf-8",
    )

    run_import(articles_copy)

    html = Article.objects.get().value("body_html", "en")
    assert 'src="https://images.example.org/a.png"' in html
    assert "tracker.example.com" not in html
    assert "Other" in html
