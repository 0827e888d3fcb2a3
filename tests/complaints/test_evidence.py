"""Evidence files: type by content, size limit, metadata stripped."""

from __future__ import annotations

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.complaints.conftest import jpeg_with_exif
from tests.complaints.support import submit
from tuoyu.complaints.evidence import strip_jpeg, strip_png
from tuoyu.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _png_with_text() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + b"\x00\x00\x00\x00"

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", b"\x00" * 13) + chunk(b"tEXt", b"GPS\x0039.9,116.4")
            + chunk(b"eXIf", b"MM\x00*") + chunk(b"IDAT", b"\x00") + chunk(b"IEND", b""))


def test_jpeg_exif_segment_is_removed():
    assert b"GPSLatitude" not in strip_jpeg(jpeg_with_exif())


def test_jpeg_comment_segment_is_removed():
    assert b"secret!" not in strip_jpeg(jpeg_with_exif())


def test_jpeg_image_data_is_kept():
    assert strip_jpeg(jpeg_with_exif()).endswith(b"\x12\x34\x56\xff\xd9")


def test_png_text_and_exif_chunks_are_removed():
    cleaned = strip_png(_png_with_text())
    assert b"tEXt" not in cleaned and b"eXIf" not in cleaned and cleaned.endswith(b"IEND\x00\x00\x00\x00")


def test_stored_photo_has_no_gps(facility):
    complaint = submit(facility, files=[SimpleUploadedFile("p.jpg", jpeg_with_exif(), "image/jpeg")])
    stored = complaint.evidence.get()
    assert stored.file.read().find(b"GPS") == -1 and stored.content_type == "image/jpeg"


def test_stored_name_is_random_not_the_uploaded_one(facility):
    complaint = submit(facility, files=[SimpleUploadedFile("../../etc/x.jpg", jpeg_with_exif(), "image/jpeg")])
    assert "etc" not in complaint.evidence.get().file.name


def test_executable_renamed_jpg_is_refused(facility):
    with pytest.raises(DomainError) as exc:
        submit(facility, files=[SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg")])
    assert exc.value.code == "CMP-010"


def test_oversized_file_is_refused(facility, settings):
    settings.COMPLAINT_EVIDENCE_MAX_MB = 1
    big = jpeg_with_exif(b"\x00" * (1024 * 1024))
    with pytest.raises(DomainError) as exc:
        submit(facility, files=[SimpleUploadedFile("big.jpg", big, "image/jpeg")])
    assert exc.value.code == "CMP-011"


def test_truncated_jpeg_is_refused(facility):
    with pytest.raises(DomainError) as exc:
        submit(facility, files=[SimpleUploadedFile("t.jpg", jpeg_with_exif()[:30], "image/jpeg")])
    assert exc.value.code == "CMP-013"


def test_too_many_files_are_refused(facility, settings):
    settings.COMPLAINT_EVIDENCE_MAX_FILES = 1
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_exif(), "image/jpeg") for i in range(2)]
    with pytest.raises(DomainError) as exc:
        submit(facility, files=files)
    assert exc.value.code == "CMP-012"


def test_refused_file_stores_no_complaint(facility):
    from tuoyu.complaints.models import Complaint

    with pytest.raises(DomainError):
        submit(facility, files=[SimpleUploadedFile("x.pdf", b"<html><script>", "application/pdf")])
    assert not Complaint.objects.exists()
