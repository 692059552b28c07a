"""Reading an import folder: `<slug>/<language>.md` files and their `<slug>/img/` images, checked, nothing written.

Every problem is reported per file (path and, where known, line) so an import can refuse all, or skip the bad files
and take the rest; files for languages the site does not serve are skipped with a notice.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from articles.models import Article
from core.languages import is_language, language_codes
from markup.document import Document, DocumentError, decode_source, parse_document
from markup.findings import gettext_noop as _

SOURCE_SUFFIX = ".md"
IMAGE_FOLDER = "img"
BODY_MAX_CHARS = 200_000
TITLE_MAX_CHARS = Article._meta.get_field("title").max_length
KEYWORDS_MAX_CHARS = Article._meta.get_field("keywords").max_length
SLUG_MAX_CHARS = Article._meta.get_field("slug").max_length
# A body at its limit is at most 4 bytes a character; the rest is room for the front matter. Checked before reading,
# so a huge file is never loaded.
FILE_MAX_BYTES = 4 * BODY_MAX_CHARS + 200_000
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_PATH_MAX_CHARS = 255
# Types a browser shows as an image and that carry no script (no SVG), recognised by their first bytes.
IMAGE_SIGNATURES = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftypavif", "image/avif"),
)


@dataclass(frozen=True)
class SourceFile:
    slug: str
    language: str
    document: Document


@dataclass(frozen=True)
class SourceImage:
    """An image file below `<slug>/img/`; `path` is relative to that folder, with forward slashes."""

    slug: str
    path: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class SourceFolder:
    """What an import folder holds: the files that can be imported, and every problem, each naming its file."""

    files: list[SourceFile] = field(default_factory=list)
    images: list[SourceImage] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    # Files for languages the site does not serve, and files beside the article folders: skipped, never fatal.
    ignored: list[DocumentError] = field(default_factory=list)
    # Every image path found per slug, valid or not: an invalid image keeps the copy an earlier import stored.
    image_paths: dict[str, set[str]] = field(default_factory=dict)


def article_folders(path: Path) -> Iterator[SourceFolder]:
    """Read and check every `<slug>/<language>.md` and `<slug>/img/…` below `path`, one article folder at a time.

    Each part holds one article folder's files, images and problems, or the problems of `path` itself (first) or
    of one entry of it, in the order of the folder; never raises for one file. So an import holds one article in
    memory, however many the folder has.
    """
    top = SourceFolder()
    try:
        root = path.resolve(strict=True)
    except OSError:
        root = None
    if root is None or not root.is_dir():
        top.errors.append(DocumentError(str(path), _("not a folder of article folders")))
        yield top
        return
    entries = _entries(path, top)
    yield top
    for entry in entries:
        part = SourceFolder()
        kind = _kind(entry, root, part)
        if kind is None:
            pass
        elif kind != "folder":
            # A README or manifest beside the article folders is common in a content repository.
            part.ignored.append(DocumentError(str(entry), _("skipped: not an article folder")))
        elif slugify(entry.name) != entry.name:
            part.errors.append(DocumentError(str(entry), _("the folder name is not a valid slug (a-z, 0-9, -)")))
        elif len(entry.name) > SLUG_MAX_CHARS:
            part.errors.append(
                DocumentError(
                    str(entry),
                    _("the folder name is %(length)d characters long; a slug has at most %(limit)d"),
                    params={"length": len(entry.name), "limit": SLUG_MAX_CHARS},
                )
            )
        else:
            _read_article_folder(entry, root, part)
        yield part


def _entries(path: Path, folder: SourceFolder) -> list[Path]:
    try:
        return sorted(entry for entry in path.iterdir() if not entry.name.startswith("."))
    except OSError as error:
        folder.errors.append(
            DocumentError(str(path), _("the folder cannot be read: %(reason)s"), params={"reason": error.strerror})
        )
        return []


def _kind(entry: Path, root: Path, folder: SourceFolder) -> str | None:
    """Return "file" or "folder" for what is inside the import folder; report anything else and return None."""
    try:
        resolved = entry.resolve(strict=True)
        mode = resolved.stat().st_mode
    except (OSError, RuntimeError):
        folder.errors.append(DocumentError(str(entry), _("cannot be read (a link to nothing?)")))
        return None
    if not resolved.is_relative_to(root):
        folder.errors.append(DocumentError(str(entry), _("a link to outside the import folder")))
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    folder.errors.append(DocumentError(str(entry), _("not a regular file (a pipe, socket or device)")))
    return None


def _read_bytes(path: Path, *, limit: int, folder: SourceFolder) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > limit:
            folder.errors.append(
                DocumentError(
                    str(path),
                    _("the file is %(size)d bytes; the limit is %(limit)d"),
                    params={"size": size, "limit": limit},
                )
            )
            return None
        return path.read_bytes()
    except OSError as error:
        folder.errors.append(
            DocumentError(str(path), _("the file cannot be read: %(reason)s"), params={"reason": error.strerror})
        )
        return None


def _read_article_folder(article_folder: Path, root: Path, folder: SourceFolder) -> None:
    slug = article_folder.name
    for entry in _entries(article_folder, folder):
        kind = _kind(entry, root, folder)
        if kind is None:
            continue
        if kind == "folder" and entry.name == IMAGE_FOLDER:
            _read_images(entry, entry, root, slug, folder)
            continue
        language = entry.name.removesuffix(SOURCE_SUFFIX)
        if kind == "file" and entry.suffix == SOURCE_SUFFIX and not is_language(language):
            folder.ignored.append(
                DocumentError(
                    str(entry),
                    _("skipped: not a language this site serves (%(names)s)"),
                    params={"names": ", ".join(language_codes())},
                )
            )
            continue
        if kind != "file" or entry.suffix != SOURCE_SUFFIX:
            folder.errors.append(
                DocumentError(
                    str(entry),
                    _("not an article file: expected <language>.md, one of %(names)s, or an %(images)s/ folder"),
                    params={
                        "names": ", ".join(f"{code}{SOURCE_SUFFIX}" for code in language_codes()),
                        "images": IMAGE_FOLDER,
                    },
                )
            )
            continue
        data = _read_bytes(entry, limit=FILE_MAX_BYTES, folder=folder)
        if data is None:
            continue
        try:
            document = parse_document(decode_source(data, name=str(entry)), name=str(entry))
            _check_limits(document, name=str(entry))
        except DocumentError as error:
            folder.errors.append(error)
            continue
        folder.files.append(SourceFile(slug, language, document))


def _check_limits(document: Document, *, name: str) -> None:
    if len(document.body) > BODY_MAX_CHARS:
        raise DocumentError(
            name,
            _("the text is %(length)d characters long; the limit is %(limit)d"),
            line=document.body_line,
            params={"length": len(document.body), "limit": BODY_MAX_CHARS},
        )
    for field_name, limit in (("title", TITLE_MAX_CHARS), ("keywords", KEYWORDS_MAX_CHARS)):
        value = document.value(field_name)
        if len(value) > limit:
            raise DocumentError(
                name,
                _("the %(field)s is %(length)d characters long; the limit is %(limit)d"),
                line=document.meta_lines.get(field_name),
                params={"field": field_name, "length": len(value), "limit": limit},
            )


def _read_images(images_root: Path, current: Path, root: Path, slug: str, folder: SourceFolder) -> None:
    for entry in _entries(current, folder):
        kind = _kind(entry, root, folder)
        if kind is None:
            continue
        if kind == "folder":
            _read_images(images_root, entry, root, slug, folder)
            continue
        relative = entry.relative_to(images_root).as_posix()
        folder.image_paths.setdefault(slug, set()).add(relative)
        if len(relative) > IMAGE_PATH_MAX_CHARS:
            folder.errors.append(
                DocumentError(
                    str(entry),
                    _("the image path is %(length)d characters long; the limit is %(limit)d"),
                    params={"length": len(relative), "limit": IMAGE_PATH_MAX_CHARS},
                )
            )
            continue
        data = _read_bytes(entry, limit=IMAGE_MAX_BYTES, folder=folder)
        if data is None:
            continue
        content_type = image_type(data)
        if content_type is None:
            folder.errors.append(
                DocumentError(str(entry), _("not an image of an allowed type (PNG, JPEG, GIF, WebP or AVIF)"))
            )
            continue
        folder.images.append(SourceImage(slug, relative, content_type, data))


def image_type(data: bytes) -> str | None:
    """Return the media type of an allowed image by its first bytes, whatever its name says."""
    for offset, signature, content_type in IMAGE_SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return content_type
    return None


# Export ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFiles:
    """What export writes for one article: the text of each language version and the paths of its images."""

    slug: str
    texts: dict[str, str]
    image_paths: list[str]


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class ArticleExportError(Exception):
    """A target that cannot be written; every problem found, each naming its path.

    Nothing was written unless `partly_written` (the disk refused a write that the checks could not foresee).
    """

    def __init__(self, errors: list[DocumentError], *, partly_written: bool = False):
        self.errors = errors
        self.partly_written = partly_written
        super().__init__("\n".join(str(error) for error in errors))


def write_article_files(
    path: Path, articles: list[ArticleFiles], *, read_image: Callable[[str, str], bytes], import_folder: Path
) -> ExportReport:
    """Write `<slug>/<language>.md` and `<slug>/img/…` below `path`, and remove the ones no longer there.

    Only files of that shape are ever removed: a language version or image the database no longer has. Every target
    is checked before anything is written, so a bad target changes nothing.
    """
    root = path.absolute()
    _check_target(root, articles, import_folder=import_folder)
    report = ExportReport()
    try:
        for article in articles:
            folder = root / article.slug
            folder.mkdir(parents=True, exist_ok=True)
            for code in language_codes():
                target = folder / f"{code}{SOURCE_SUFFIX}"
                if code in article.texts:
                    _write(target, article.texts[code].encode("utf-8"), root, report)
                elif target.is_file():
                    target.unlink()
                    report.removed.append(str(target.relative_to(root)))
            images = folder / IMAGE_FOLDER
            for image_path in article.image_paths:
                target = images / image_path
                target.parent.mkdir(parents=True, exist_ok=True)
                _write(target, read_image(article.slug, image_path), root, report)
            _remove_stale_images(images, keep=set(article.image_paths), root=root, report=report)
    except OSError as error:
        where = error.filename or root
        raise ArticleExportError(
            [DocumentError(str(where), _("cannot be written: %(reason)s"), params={"reason": error.strerror})],
            partly_written=True,
        ) from None
    return report


def _check_target(root: Path, articles: list[ArticleFiles], *, import_folder: Path) -> None:
    resolved_import = import_folder.resolve()
    if root.resolve() != resolved_import and root.resolve().is_relative_to(resolved_import):
        raise ArticleExportError(
            [
                DocumentError(
                    str(root),
                    _("inside the import folder %(folder)s: an import would read it as article folders"),
                    params={"folder": import_folder},
                )
            ]
        )
    errors = []
    for folder in [root, *(root / article.slug for article in articles)]:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            errors.append(DocumentError(str(folder), _("not a folder: export writes a folder here")))
    for article in articles:
        targets = [root / article.slug / f"{code}{SOURCE_SUFFIX}" for code in article.texts]
        targets += [root / article.slug / IMAGE_FOLDER / image_path for image_path in article.image_paths]
        for target in targets:
            if target.is_symlink() or (target.exists() and not target.is_file()):
                errors.append(DocumentError(str(target), _("not a regular file: export writes a file here")))
            for parent in target.parents:
                if parent == root:
                    break
                if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                    errors.append(DocumentError(str(parent), _("not a folder: export writes a folder here")))
    existing = next((folder for folder in [root, *root.parents] if folder.exists()), None)
    if existing is not None and not existing.is_dir():
        errors.append(DocumentError(str(existing), _("not a folder: export writes a folder here")))
    elif existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        errors.append(DocumentError(str(existing), _("cannot be written: permission denied")))
    if errors:
        raise ArticleExportError(list({error.text(): error for error in errors}.values()))


def _write(target: Path, data: bytes, root: Path, report: ExportReport) -> None:
    name = str(target.relative_to(root))
    if target.is_file() and target.read_bytes() == data:
        report.unchanged.append(name)
        return
    target.write_bytes(data)
    report.written.append(name)


def _remove_stale_images(images: Path, *, keep: set[str], root: Path, report: ExportReport) -> None:
    if not images.is_dir() or images.is_symlink():
        return
    for current, _folders, files in os.walk(images, topdown=False):
        for name in files:
            target = Path(current) / name
            if target.relative_to(images).as_posix() not in keep and not name.startswith("."):
                target.unlink()
                report.removed.append(str(target.relative_to(root)))
        if current != str(images) and not any(Path(current).iterdir()):
            Path(current).rmdir()
    if not any(images.iterdir()):
        images.rmdir()
