"""Form pieces shared by the apps."""

from __future__ import annotations

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files (``<input type=file multiple>``)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field whose cleaned value is a list of uploaded files (possibly empty).

    ``accept``: the ``accept`` attribute of the input (content types offered by the
    browser's file picker; the server still checks every file's content,
    :mod:`tuoyu.core.uploads`).
    """

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """The list of files sent (each checked as a single FileField), [] for none."""
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
