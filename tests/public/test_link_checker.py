"""A link checker over the whole public site: every internal link on every reachable page resolves."""

import re
from urllib.parse import urldefrag, urljoin

from core.languages import language_codes

LINK = re.compile(r"""<(?:a|link)\b[^>]*\bhref="([^"]+)\"""")
MAX_PAGES = 400


def test_no_broken_internal_link_anywhere(client, imported):
    queue = [f"/{code}/" for code in language_codes()] + ["/", "/sitemap.xml", "/robots.txt"]
    seen, broken = set(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(response.content.decode()):
            target, _fragment = urldefrag(urljoin(url, href.replace("&amp;", "&")))
            if target.startswith("/") and not target.startswith(("/admin/", "/static/")):
                queue.append(target)
    assert broken == []
    assert len(seen) > 40  # the crawl really went through articles, terms, index and search pages


def test_every_heading_anchor_in_a_contents_list_exists(client, imported):
    for code in language_codes():
        page = client.get(f"/{code}/articles/crowdsourcing/").content.decode()
        for anchor in re.findall(r'href="#([^"]+)"', page):
            assert f'id="{anchor}"' in page, (code, anchor)
