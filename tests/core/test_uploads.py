"""Upload checks shared by designation materials, inspection evidence and complaint evidence."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuoyu.core import uploads

ALL = tuple(uploads.SIGNATURES)


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.7\n", (uploads.PDF, ".pdf")),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", (uploads.JPEG, ".jpg")),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", (uploads.PNG, ".png")),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", (uploads.WEBP, ".webp")),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", (uploads.HEIC, ".heic")),
    (b"MZ\x90\x00\x03\x00\x00\x00", None),
    (b"<html><script>", None),
])
def test_type_is_recognised_from_the_first_bytes(head, expected):
    assert uploads.sniff(head, types=ALL) == expected


def test_type_outside_the_accepted_ones_is_not_recognised():
    assert uploads.sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 ", types=(uploads.PDF, uploads.JPEG, uploads.PNG)) is None


def test_check_returns_the_type_and_leaves_the_file_rewound():
    upload = SimpleUploadedFile("x.txt", b"%PDF-1.7 body")
    assert uploads.upload_check(upload, max_bytes=100, types=ALL) == (uploads.PDF, ".pdf")
    assert upload.read() == b"%PDF-1.7 body"


@pytest.mark.parametrize(("upload", "empty"), [
    (None, True),
    (SimpleUploadedFile("e.pdf", b""), True),
    (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 100), False),
])
def test_check_refuses_an_empty_or_too_large_file(upload, empty):
    with pytest.raises(uploads.UploadSizeError) as raised:
        uploads.upload_check(upload, max_bytes=100, types=ALL)
    assert raised.value.empty is empty


def test_size_is_checked_before_the_type():
    with pytest.raises(uploads.UploadSizeError):
        uploads.upload_check(SimpleUploadedFile("big.exe", b"MZ" * 100), max_bytes=100, types=ALL)


def test_check_refuses_a_disguised_type():
    with pytest.raises(uploads.UploadTypeError):
        uploads.upload_check(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 64), max_bytes=100, types=ALL)


def test_read_refuses_a_file_larger_than_it_says():
    upload = io.BytesIO(b"%PDF-" + b"0" * 200)
    upload.size = 10
    with pytest.raises(uploads.UploadSizeError) as raised:
        uploads.upload_read(upload, max_bytes=100, types=ALL)
    assert raised.value.empty is False


def test_read_returns_the_content_and_type():
    assert uploads.upload_read(SimpleUploadedFile("a", b"%PDF-1 x"), max_bytes=100, types=ALL) == (
        b"%PDF-1 x", uploads.PDF, ".pdf"
    )


def test_random_name_keeps_only_the_extension():
    first, second = uploads.random_name(".png"), uploads.random_name(".png")
    assert first != second and first.endswith(".png") and len(first) == 32 + len(".png")
