from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from articles.images import URL_VERSION_CHARS
from articles.models import ArticleImage, ArticleVersion
from articles.pages import article_page_live, stored_article_page, with_origin
from articles.selectors import article_language_links, articles_for_readers, other_languages
from core.cache import cached_page
from core.stored_pages import STORED


@cached_page
def article_detail(request, slug):
    language = translation.get_language()
    stored = stored_article_page(slug=slug, language=language)
    if stored is not None:
        response = HttpResponse(with_origin(stored, request))
        setattr(response, STORED, True)  # the WSGI front may answer this page itself from now on
        return response
    # Not published in this language, or rendered by other code (a deploy before `render_pages` ran): live.
    article = get_object_or_404(articles_for_readers(language), slug=slug)
    if not article.is_published(language):
        context = {
            "article": article,
            "language_links": article_language_links(article),
            "other_languages": other_languages(article, language=language),
        }
        return render(request, "articles/missing.html", context, status=404)
    return HttpResponse(with_origin(article_page_live(article, language).encode(), request))


@require_safe
def article_image(request, slug, path):
    """Serve an image of an article's img/ folder: a year's caching for the URL of its current version."""
    published = ArticleVersion.objects.filter(article=OuterRef("article"), published=True)
    image = (
        ArticleImage.objects.only("content_type", "sha256", "data")
        .filter(article__slug=slug, path=path)
        .annotate(published=Exists(published))
        .first()
    )
    if image is None or not image.published:
        raise Http404
    etag = f'"{image.sha256}"'
    current = request.GET.get("v") == image.sha256[:URL_VERSION_CHARS]
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["ETag"] = etag
    # The URL names the version: while it is current the bytes never change; another version may, soon.
    response["Cache-Control"] = "public, max-age=31536000, immutable" if current else "public, max-age=300"
    return response
