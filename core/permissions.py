"""Who may change which language: one permission per configured language, checked on the server.

The permissions themselves are declared on the Article model ("articles.edit_<code>", so existing grants keep
working); the term base's admin checks them through here, without importing articles.
"""

from core.languages import language_codes


def language_permission(language: str) -> str:
    return f"articles.edit_{language}"


def can_edit_language(user, language: str) -> bool:
    """Say whether `user` may change the `language` version of articles and terms (superusers: every language)."""
    return user.is_active and (user.is_superuser or user.has_perm(language_permission(language)))


def editable_languages(user) -> list[str]:
    return [code for code in language_codes() if can_edit_language(user, code)]


def can_edit_every_language(user) -> bool:
    """Say whether `user` may change what all languages share (slug, source language, term slug)."""
    return all(can_edit_language(user, code) for code in language_codes())
