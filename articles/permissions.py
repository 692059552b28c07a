"""Who may change which language: one permission per configured language, checked on the server."""

from django.contrib.auth.models import Group, Permission

from glossary.languages import language_codes

# What every language editor needs besides their language's edit_<code> permission. No add or delete: articles
# come from files, and a deleted article would take every language with it.
EDITOR_PERMISSIONS = (
    "articles.view_article",
    "articles.change_article",
    "glossary.view_term",
    "glossary.change_term",
    "glossary.view_termname",
    "glossary.add_termname",
    "glossary.change_termname",
)


def language_permission(language: str) -> str:
    return f"articles.edit_{language}"


def editor_group_name(language: str) -> str:
    return f"Editors ({language})"


def can_edit_language(user, language: str) -> bool:
    """Say whether `user` may change the `language` version of articles and terms (superusers: every language)."""
    return user.is_active and (user.is_superuser or user.has_perm(language_permission(language)))


def editable_languages(user) -> list[str]:
    return [code for code in language_codes() if can_edit_language(user, code)]


def can_edit_every_language(user) -> bool:
    """Say whether `user` may change what all languages share (slug, source language, term slug)."""
    return all(can_edit_language(user, code) for code in language_codes())


def editor_groups_ensure() -> list[tuple[Group, bool]]:
    """Create or update one editor group per configured language; return each group and whether it is new."""
    shared = []
    for name in EDITOR_PERMISSIONS:
        app_label, codename = name.split(".")
        shared.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    groups = []
    for code in language_codes():
        app_label, codename = language_permission(code).split(".")
        own = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group, created = Group.objects.get_or_create(name=editor_group_name(code))
        group.permissions.set([*shared, own])
        groups.append((group, created))
    return groups
