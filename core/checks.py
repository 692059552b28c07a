"""System checks for the settings the page cache relies on (`manage.py check`, and every command and server start)."""

import os

from django.conf import settings
from django.core.checks import Warning, register

from core.generation import shared_cache


@register()
def generation_stamp_writable(app_configs, **kwargs):
    """Without a shared cache the content generation's stamp is a file (core/generation.py): its folder must be
    writable, or creatable. Otherwise every reader's request reads the generation from the database.
    """
    if shared_cache():
        return []
    folder = settings.GLOSSARY_GENERATION_FILE.parent
    existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
    if existing is not None and existing.is_dir() and os.access(existing, os.W_OK):
        return []
    return [
        Warning(
            f"GLOSSARY_GENERATION_FILE {settings.GLOSSARY_GENERATION_FILE} cannot be written.",
            hint="Point GLOSSARY_GENERATION_FILE at a writable place every app process of this host shares, or use "
            "a shared cache (CACHE_URL=redis://… or pymemcache://…); until then every reader's page reads the "
            "content generation from the database.",
            id="core.W001",
        )
    ]
