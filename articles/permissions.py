"""Editor groups: one per configured language, holding that language's permission (core/permissions.py)."""

from django.contrib.auth.models import Group, Permission

from core.languages import language_codes
from core.permissions import language_permission

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


def editor_group_name(language: str) -> str:
    return f"Editors ({language})"


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
