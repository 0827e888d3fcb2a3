"""Uploaded files (上传文件): type by magic bytes, size limit, random stored names.

One mechanism for every upload of the platform: designation materials
(:func:`tuoyu.designation.services.application_material_add`), inspection evidence
(:func:`tuoyu.supervision.evidence.inspection_evidence_add`) and complaint evidence
(:func:`tuoyu.complaints.evidence.clean_upload`). Each app passes the content types it
accepts and its size limit, and turns :class:`UploadSizeError` / :class:`UploadTypeError`
into its own error code.

- The type is judged from the first :data:`HEAD_BYTES` bytes of the file (its "magic
  bytes"), never from its name or the browser's declared type, so a renamed executable or
  HTML page is refused.
- The size limit is checked on the declared size before anything is read; a file of
  0 bytes is refused as empty.
- The stored name is random (:func:`random_name`) with the extension of the detected type,
  so a name chosen by the uploader never reaches the file system.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"

#: How many leading bytes :func:`sniff` needs.
HEAD_BYTES = 16

#: Content type → (test of the file's first bytes, extension of the stored file).
SIGNATURES: dict[str, tuple[Callable[[bytes], bool], str]] = {
    PDF: (lambda head: head.startswith(b"%PDF-"), ".pdf"),
    JPEG: (lambda head: head.startswith(b"\xff\xd8\xff"), ".jpg"),
    PNG: (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), ".png"),
    WEBP: (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", ".webp"),
    # ISO base media file with a HEIF brand: what phones save photos as.
    HEIC: (lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"), ".heic"),
}


class UploadRefused(ValueError):
    """An uploaded file is not accepted; the caller maps it to its app's error code."""


class UploadSizeError(UploadRefused):
    """The file is empty (``empty`` is True) or larger than the limit."""

    def __init__(self, *, empty: bool) -> None:
        super().__init__("empty file" if empty else "file too large")
        self.empty = empty


class UploadTypeError(UploadRefused):
    """The file's first bytes are not those of an accepted type."""


def sniff(head: bytes, *, types: Iterable[str]) -> tuple[str, str] | None:
    """``(content type, extension)`` of a file from its first :data:`HEAD_BYTES` bytes
    ``head``, when it is one of ``types`` (keys of :data:`SIGNATURES`); else None."""
    for content_type in types:
        matches, extension = SIGNATURES[content_type]
        if matches(head):
            return content_type, extension
    return None


def _size_check(size: int, max_bytes: int) -> None:
    if size <= 0:
        raise UploadSizeError(empty=True)
    if size > max_bytes:
        raise UploadSizeError(empty=False)


def upload_check(upload, *, max_bytes: int, types: Iterable[str]) -> tuple[str, str]:
    """Check an upload without reading more than its first bytes.

    ``upload``: a Django UploadedFile or any file object with ``size`` (bytes) and
    ``seek``/``read``, or None. ``max_bytes``: the largest size accepted, bytes. Returns
    ``(content type, extension)`` with the file rewound. Raises :class:`UploadSizeError`
    (None, empty, or ``size`` over ``max_bytes``), then :class:`UploadTypeError`.
    """
    _size_check(int(getattr(upload, "size", 0) or 0), max_bytes)
    upload.seek(0)
    kind = sniff(upload.read(HEAD_BYTES), types=types)
    upload.seek(0)
    if kind is None:
        raise UploadTypeError
    return kind


def upload_read(upload, *, max_bytes: int, types: Iterable[str]) -> tuple[bytes, str, str]:
    """Check an upload as :func:`upload_check` and read it whole.

    Returns ``(content, content type, extension)``. Besides the declared size, the bytes
    actually read are held to ``max_bytes`` (at most ``max_bytes + 1`` are read), so a file
    object that under-reports its size is refused too. Raises :class:`UploadSizeError`,
    then :class:`UploadTypeError`.
    """
    _size_check(int(getattr(upload, "size", 0) or 0), max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    _size_check(len(data), max_bytes)
    kind = sniff(data[:HEAD_BYTES], types=types)
    if kind is None:
        raise UploadTypeError
    content_type, extension = kind
    return data, content_type, extension


def random_name(extension: str) -> str:
    """A stored file name: 32 random hex characters (128 bits) followed by ``extension``
    (e.g. ``".png"``, the detected type's, never the uploader's)."""
    return secrets.token_hex(16) + extension


def download_response(file, *, filename: str, content_type: str,
                      cache_control: str | None = "private, no-store"):
    """An uploaded file sent as an attachment, never rendered inline (``nosniff``).

    ``file``: a stored ``FieldFile``; ``filename``: the name the browser saves it under;
    ``content_type``: the type detected at upload (:func:`upload_check`);
    ``cache_control``: the ``Cache-Control`` header (None: none). Returns a
    ``FileResponse``. The caller checks who may download first.
    """
    from django.http import FileResponse

    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
