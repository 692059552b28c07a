"""Pages written in Python around a shell of their template: the search page (public/search_page.py), whose pages
are as many as the queries, and the article page rendered on every save (articles/article_page.py).

The template is rendered with a mark in each slot, where what differs between pages goes; cut at the marks, its
output is the shell: the template's own text, and the slots a page fills in (`fill`). A shell is rendered once per
key (language, mount point, and what the template's conditions decide) and kept; with DEBUG on, for every page, as
Django's development server reads a template again once it changes.
"""

from collections.abc import Callable, Hashable, Iterable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string

MARK = "\ue000"  # a private-use character: in no template's own text
# Shells kept a template, at most: a key may hold a count (the article notice's errors), which has no upper limit.
MAX_SHELLS = 200

Shell = list[tuple[str, str | None]]  # (text, None) and ("", slot) in turn


def mark(slot: str) -> str:
    """What stands for `slot` in the context a shell is rendered from."""
    return f"{MARK}{slot}{MARK}"


class Shells:
    """The shells of one template, by key; the oldest goes past `limit`."""

    def __init__(self, template: str, *, limit: int = MAX_SHELLS):
        self.template = template
        self.limit = limit
        self.kept: dict[Hashable, Shell] = {}
        _every.append(self)

    def get(self, key: Hashable, *, context: Callable[[], dict], slots: Iterable[str]) -> Shell:
        """The shell of `key`, rendered from `context()` (marks in its slots) unless kept; each of `slots` must show."""
        if key in self.kept:
            return self.kept[key]
        shell: Shell = []
        for index, part in enumerate(render_to_string(self.template, context()).split(MARK)):
            shell.append(("", part) if index % 2 else (part, None))
        wanted = set(slots)
        if {slot for _, slot in shell if slot} != wanted:
            raise RuntimeError(f"templates/{self.template} must show each of {sorted(wanted)}")
        if not settings.DEBUG:
            if len(self.kept) >= self.limit:
                del self.kept[next(iter(self.kept))]
            self.kept[key] = shell
        return shell


def fill(shell: Shell, values: dict[str, str]) -> str:
    """The page: the shell's text, and each slot's value."""
    return "".join(piece if slot is None else values[slot] for piece, slot in shell)


_every: list[Shells] = []


@receiver(setting_changed)
def _forget_shells(**kwargs) -> None:
    """Tests change settings (templates, static files, languages) inside one process; a real process never does."""
    for shells in _every:
        shells.kept.clear()
