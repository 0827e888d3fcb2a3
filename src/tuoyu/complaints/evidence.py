"""Evidence files of complaints (投诉证据材料): type by content, size limit, metadata stripped.

The type is judged from the first bytes (JPEG, PNG, PDF: :data:`EVIDENCE_TYPES`, with
the platform's upload checks, :mod:`tuoyu.core.uploads`), never from the name or the
declared type. Pillow is not installed, so images are not
re-encoded; instead (ADR 0083):

- JPEG: the segments before the image data are parsed and every APPn segment except
  APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) is dropped,
  with the comment segment — APP1 carries EXIF (GPS position, camera, time) and XMP,
  APP13 the IPTC/Photoshop block;
- PNG: the chunks ``eXIf``, ``tEXt``, ``zTXt``, ``iTXt`` and ``tIME`` are dropped;
- PDF: kept as sent (it is shown only to officers).

A file whose structure cannot be parsed is refused (CMP-013). Stored names are random.
"""

from __future__ import annotations

import struct

from tuoyu.complaints import parameters
from tuoyu.complaints.errors import CMP_FILE_BROKEN, CMP_FILE_SIZE, CMP_FILE_TYPE
from tuoyu.core import uploads
from tuoyu.core.errors import DomainError

#: Accepted evidence types, judged by content.
EVIDENCE_TYPES = (uploads.JPEG, uploads.PNG, uploads.PDF)

_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip_jpeg(data: bytes) -> bytes:
    """``data`` (a JPEG) without EXIF/XMP/IPTC/comment segments. Raises ValueError when malformed."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise ValueError("bad marker")
        marker = data[i + 1] if i + 1 < len(data) else None
        if marker is None:
            raise ValueError("truncated")
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:
            out += data[i:i + 2]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[i:i + 2]
            i += 2
            continue
        if i + 4 > len(data):
            raise ValueError("truncated")
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if length < 2 or i + 2 + length > len(data):
            raise ValueError("bad segment length")
        segment = data[i:i + 2 + length]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        drop = (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE
        if not drop:
            out += segment
        i += 2 + length
    raise ValueError("no image data")


def strip_png(data: bytes) -> bytes:
    """``data`` (a PNG) without text, time and EXIF chunks. Raises ValueError when malformed."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out = bytearray(_PNG_SIGNATURE)
    i = len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND")


def clean_upload(upload) -> tuple[bytes, str, str, str]:
    """Check and clean one uploaded file.

    ``upload``: a Django UploadedFile (``name``, ``size``, ``read``). Returns ``(content,
    content_type, extension, original_name)`` with metadata stripped. Raises DomainError
    CMP-011 (empty or over ``COMPLAINT_EVIDENCE_MAX_MB``), CMP-010 (not JPEG/PNG/PDF by
    content), CMP-013 (structure unreadable).
    """
    name = str(getattr(upload, "name", "") or "file")[-200:]
    limit = parameters.evidence_max_bytes()
    try:
        data, content_type, extension = uploads.upload_read(upload, max_bytes=limit, types=EVIDENCE_TYPES)
    except uploads.UploadSizeError:
        raise DomainError(CMP_FILE_SIZE, {"name": name, "limit_mb": limit // (1024 * 1024)}) from None
    except uploads.UploadTypeError:
        raise DomainError(CMP_FILE_TYPE, {"name": name}) from None
    try:
        if content_type == uploads.JPEG:
            data = strip_jpeg(data)
        elif content_type == uploads.PNG:
            data = strip_png(data)
    except (ValueError, struct.error):
        raise DomainError(CMP_FILE_BROKEN, {"name": name}) from None
    return data, content_type, extension, name
