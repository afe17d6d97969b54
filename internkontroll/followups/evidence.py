"""What an evidence file is, judged by its content, and the name it is kept and served under.

Only documents and images on an explicit list are accepted. A file is stored and served under
the extension of the type its content shows, so a name like `protokoll.hta` cannot make a
browser or Windows run it; the name the person gave is kept, cleaned, only for display.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from internkontroll.followups.models import Evidence


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str  # the one the file is stored and served under
    label: str | Promise
    aliases: tuple[str, ...] = ()  # other extensions a person's file of this type may carry

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

ACCEPTED = {
    kind.mime: kind
    for kind in (
        FileType("application/pdf", "pdf", "PDF"),
        FileType(DOCX, "docx", "Word"),
        FileType(XLSX, "xlsx", "Excel"),
        FileType(PPTX, "pptx", "PowerPoint"),
        FileType(ODT, "odt", _("OpenDocument text")),
        FileType(ODS, "ods", _("OpenDocument spreadsheet")),
        FileType("image/png", "png", "PNG"),
        FileType("image/jpeg", "jpg", "JPEG", ("jpeg", "jpe")),
        FileType("image/gif", "gif", "GIF"),
        FileType("image/webp", "webp", "WebP"),
    )
}
ACCEPTED_EXTENSIONS = {extension for kind in ACCEPTED.values() for extension in kind.extensions}

# The main part of an Office Open XML package names what the package is.
OOXML_MAIN_PARTS = {
    f"{DOCX}.main+xml": DOCX,
    f"{XLSX}.main+xml": XLSX,
    f"{PPTX}.main+xml": PPTX,
}
# Parts and content types that carry macros: VBA projects, Excel 4 macro sheets, ODF Basic.
MACRO_MARKERS = ("vbaproject", "vbadata", "macroenabled", "macrosheet")
ODF_MACRO_FOLDERS = ("basic/", "scripts/")
MACRO_EXTENSIONS = {
    "docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm",
}  # fmt: skip
# Names Windows or a browser would run or render, whatever the content.
RUNNABLE_EXTENSIONS = {
    "exe", "com", "scr", "pif", "cpl", "dll", "msi", "msp", "msc", "jar", "app", "apk",
    "bat", "cmd", "ps1", "psm1", "vb", "vbs", "vbe", "js", "jse", "mjs", "wsf", "wsh", "sh",
    "py", "pl", "php", "hta", "htm", "html", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz",
    "xml", "xsl", "lnk", "url", "reg", "inf", "scf", "chm", "iso", "img", "vhd", "vhdx",
}  # fmt: skip
PROGRAMS = {
    "application/x-msdownload",
    "application/x-executable",
    "application/wasm",
    "application/x-shockwave-flash",
    "application/x-google-chrome-extension",
    "application/x-deb",
    "application/x-rpm",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LARGEST_MANIFEST = 1024 * 1024  # bytes of [Content_Types].xml read, against zip bombs
NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*]')
WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
LONGEST_NAME = 200


def accepted_types() -> str:
    """The accepted types for people to read, e.g. "PDF, Word (.docx), …"."""
    return ", ".join(
        str(kind.label)
        if str(kind.label).lower() in kind.extensions
        else f"{kind.label} (.{kind.extension})"
        for kind in ACCEPTED.values()
    )


def check_evidence(upload: UploadedFile) -> FileType:
    """The upload's type, judged by its content; or a ValidationError saying why it is refused."""
    name = clean_name(upload.name or "")
    limit = settings.IK_EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refused(
            _("%(name)s is %(size)s MB; files may be at most %(max)s MB."),
            name=name,
            size=_mb(upload.size),
            max=_mb(limit),
        )
    extension = _extension(name)
    if extension in MACRO_EXTENSIONS:
        raise _refused(_macros(), name=name)
    if extension in RUNNABLE_EXTENSIONS:
        raise _refused(
            _(
                "%(name)s has the extension .%(extension)s, which is used for programs, "
                "scripts and web pages. Such files are not accepted."
            ),
            name=name,
            extension=extension,
        )
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _package_type(upload, name)
    if head.startswith(OLE_MAGIC):
        raise _refused(
            _(
                "%(name)s is in an older Office format (such as .doc, .xls or .ppt), which can "
                "hold macros. Such files are not accepted: save it as .docx, .xlsx, .pptx or PDF."
            ),
            name=name,
        )
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ACCEPTED:
        return ACCEPTED[kind.mime]
    if kind is not None and kind.mime in PROGRAMS:
        raise _refused(_("%(name)s is a program. Programs are not accepted."), name=name)
    if kind is None and _looks_like_text(head):
        raise _refused(
            _(
                "%(name)s is a text file, such as a web page, an SVG image or a script. "
                "Text files are not accepted: save it as PDF."
            ),
            name=name,
        )
    raise _not_accepted(name)


def _package_type(upload: UploadedFile, name: str) -> FileType:
    """The type of a zip package: Office Open XML or OpenDocument, refused if it has macros."""
    try:
        with zipfile.ZipFile(cast(IO[bytes], upload.file)) as package:
            parts = {info.filename.lower(): info for info in package.infolist()}
            if any(marker in part for part in parts for marker in MACRO_MARKERS) or any(
                part.startswith(ODF_MACRO_FOLDERS) for part in parts
            ):
                raise _refused(_macros(), name=name)
            if "[content_types].xml" in parts:
                manifest = _read(package, parts["[content_types].xml"]).lower()
                if any(marker in manifest for marker in MACRO_MARKERS):
                    raise _refused(_macros(), name=name)
                mime = next((m for p, m in OOXML_MAIN_PARTS.items() if p in manifest), None)
            elif "mimetype" in parts:
                mime = _read(package, parts["mimetype"]).strip()
            else:
                mime = None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        OSError,
        EOFError,
        ValueError,
    ):
        raise _refused(
            _("%(name)s cannot be read as a document; it may be damaged."), name=name
        ) from None
    finally:
        upload.seek(0)
    if mime in ACCEPTED:
        return ACCEPTED[mime]
    raise _not_accepted(name)


def _read(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    if info.file_size > LARGEST_MANIFEST:
        raise zipfile.BadZipFile
    with package.open(info) as part:
        return part.read(LARGEST_MANIFEST).decode("utf-8", "replace")


def _looks_like_text(head: bytes) -> bool:
    try:
        # Incremental, so a character cut off at the end of the head still counts as text.
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def display_name(name: str, kind: FileType) -> str:
    """The person's name for the file, cleaned, ending in an extension of its real type."""
    name = clean_name(name)
    extension = _extension(name)
    stem = name[: -len(extension) - 1] if extension in ACCEPTED_EXTENSIONS else name
    stem = stem.strip(" .")[:LONGEST_NAME].strip(" .") or gettext("evidence")
    if WINDOWS_DEVICES.match(stem):
        stem = f"_{stem}"
    return f"{stem}.{extension if extension in kind.extensions else kind.extension}"


def served_name(name: str, mime: str) -> str:
    """The name a stored file is downloaded under: cleaned, ending in its type's extension."""
    kind = ACCEPTED.get(mime)
    if kind is None:
        return display_name(name, FileType("application/octet-stream", "bin", "bin"))
    return display_name(name, kind)


def served_type(mime: str) -> str:
    return mime if mime in ACCEPTED else "application/octet-stream"


def clean_name(name: str) -> str:
    """A file name without folders, control or direction-changing characters or odd spaces."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    return " ".join(NOT_IN_NAMES.sub("_", name).split())


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem.strip(" .") else ""


def _macros() -> Promise:
    return _(
        "%(name)s contains macros or is of a type that can hold them. Files with macros are "
        "not accepted: save it as an ordinary document, such as .docx, .xlsx or PDF."
    )


def _not_accepted(name: str) -> ValidationError:
    return _refused(
        _("%(name)s is not one of the accepted file types: %(types)s."),
        name=name,
        types=accepted_types(),
    )


def _refused(message: Promise, **values: object) -> ValidationError:
    return ValidationError(str(message) % values)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def serve(evidence: Evidence) -> FileResponse:
    """The stored file as a download, under its cleaned name and its type's extension, that no
    browser may open as another type."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.download_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
