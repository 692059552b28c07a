from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from core.csp import DefaultPolicyCSPMiddleware


def _answer(response: HttpResponse, path: str = "/en/") -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = DefaultPolicyCSPMiddleware(lambda request: response)
    return middleware(request)


def test_a_page_gets_the_policy_django_csp_builds_from_the_settings(client, imported):
    response = client.get("/fr/articles/crowdsourcing/")

    assert response["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_kept_policy_follows_a_change_of_the_setting(settings):
    before = _answer(HttpResponse("x"))["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    after = _answer(HttpResponse("x"))["Content-Security-Policy"]

    assert after == "default-src 'none'" != before


def test_a_response_with_its_own_policy_keeps_it():
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://example.org"]}

    assert "https://example.org" in _answer(response)["Content-Security-Policy"]


def test_a_page_that_uses_a_nonce_gets_what_django_csp_gives_it(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    ours, theirs = RequestFactory().get("/en/"), RequestFactory().get("/en/")
    header = DefaultPolicyCSPMiddleware(view)(ours)["Content-Security-Policy"]

    assert f"'nonce-{ours._csp_nonce}'" in header
    assert CSPMiddleware(view)(theirs)["Content-Security-Policy"] == header.replace(ours._csp_nonce, theirs._csp_nonce)


def test_excluded_prefixes_get_no_header(settings):
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/en/"]}

    assert "Content-Security-Policy" not in _answer(HttpResponse("x"), "/en/")
    assert "Content-Security-Policy" in _answer(HttpResponse("x"), "/fr/")
