"""django-csp's middleware, with the policy built once instead of on every response.

django-csp builds the header from the settings for each response (about a tenth of a reader's uncached page). A
response with no policy of its own (no `csp_update`/`csp_replace`/`csp_exempt` decorator) and a request that used
no nonce gets the same header every time, so that header is built once and kept until the setting changes.
"""

from functools import cache

from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorators put on a response to change its policy.
OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
OWN_POLICY_ATTRIBUTES = (*OWN_POLICY, *(f"{name}_ro" for name in OWN_POLICY))


@cache
def default_policies() -> tuple[str, str]:
    """The header and the report-only header for responses that have no policy of their own."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        default_policies.cache_clear()


class DefaultPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code != 200  # django-csp leaves error pages alone in debug mode
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in OWN_POLICY_ATTRIBUTES)
        ):
            return super().process_response(request, response)
        policy, report_only = default_policies()
        for header, value, setting in (
            ("Content-Security-Policy", policy, "CONTENT_SECURITY_POLICY"),
            ("Content-Security-Policy-Report-Only", report_only, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if value and header not in response and not _excluded(request.path_info, setting):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _excluded(path: str, setting: str) -> bool:
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return bool(prefixes) and path.startswith(tuple(prefixes))
