"""Images of an article's `img/` folder: stored on import, linked from its Markdown, served beside it.

A Markdown image is shown when its address is `img/<path>` of an image the article has, or an `https:` address on
a host listed in `settings.GLOSSARY_IMAGE_HOSTS` (which the Content-Security-Policy's img-src allows too); any
other address resolves to nothing, and the renderer leaves the alt text in place with a finding.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import reverse

from articles.models import Article, ArticleImage
from articles.sources import IMAGE_FOLDER, SourceImage
from markup.render import ImageLink, image_resolver

# Enough of the digest to name a version in the URL; the ETag carries all of it.
URL_VERSION_CHARS = 12


def image_url(*, slug: str, path: str, sha256: str) -> str:
    """Return the reader's URL of an article image; the digest in it changes whenever the image does."""
    return reverse("article_image", kwargs={"slug": slug, "path": path}) + f"?v={sha256[:URL_VERSION_CHARS]}"


def article_image_resolver(article: Article) -> Callable[[str], ImageLink | None]:
    """Return a function mapping an image address in the article's Markdown to its URL, or None.

    The article's images are read (one query) when the first `img/` address is resolved: most bodies show none, and
    their saves read nothing.
    """
    stored: dict[str, str] | None = None if article.pk else {}
    outside = image_resolver(base_url="", allowed_hosts=settings.GLOSSARY_IMAGE_HOSTS)

    def digests() -> dict[str, str]:
        nonlocal stored
        if stored is None:
            stored = dict(ArticleImage.objects.filter(article=article).values_list("path", "sha256"))
        return stored

    def resolve_image(src: str) -> ImageLink | None:
        try:
            parts = urlsplit(src.strip())
        except ValueError:
            return None
        if parts.scheme.lower() == "https":
            return outside(src)
        if parts.scheme or parts.netloc or parts.query:
            return None
        path = posixpath.normpath(unquote(parts.path))
        folder, _slash, relative = path.partition("/")
        if folder != IMAGE_FOLDER or relative not in digests():
            return None
        return ImageLink(url=image_url(slug=article.slug, path=relative, sha256=digests()[relative]))

    return resolve_image


def article_images_sync(*, article: Article, images: list[SourceImage], present: set[str]) -> bool:
    """Store the images of an import folder; delete those no longer there. Return whether anything changed.

    `present` names every image file found, valid or not: a file that failed its checks keeps the stored copy.
    """
    stored = {image.path: image for image in ArticleImage.objects.filter(article=article).only("path", "sha256")}
    changed = False
    for image in images:
        current = stored.get(image.path)
        if current is not None and current.sha256 == image.sha256:
            continue
        ArticleImage.objects.update_or_create(
            article=article,
            path=image.path,
            defaults={"content_type": image.content_type, "sha256": image.sha256, "data": image.data},
        )
        changed = True
    gone = [image.pk for path, image in stored.items() if path not in present]
    if gone:
        ArticleImage.objects.filter(pk__in=gone).delete()
        changed = True
    return changed
