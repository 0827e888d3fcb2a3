"""Representative selection of designation candidates (代表性遴选).

Public interface: :func:`select_representatives` (the pure service),
:func:`candidates_parse` and :func:`candidates_read` (rows or a CSV/XLSX file to checked
candidates with row-level errors), :func:`rules_from_mapping` and :func:`rules_load`
(the rules). See docs/designation-select.md.
"""

from tuoyu.designation.selection.candidates import (
    COLUMNS,
    DIMENSIONS,
    Candidate,
    RowError,
    band_of,
    candidates_parse,
    id_key,
)
from tuoyu.designation.selection.reading import candidates_read
from tuoyu.designation.selection.rules import (
    CoverageTarget,
    ExtraRule,
    SelectionRules,
    rules_from_mapping,
    rules_load,
)
from tuoyu.designation.selection.service import (
    Binding,
    Coverage,
    Message,
    Relaxation,
    SelectionResult,
    select_representatives,
    top_k,
)

__all__ = [
    "COLUMNS",
    "DIMENSIONS",
    "Binding",
    "Candidate",
    "Coverage",
    "CoverageTarget",
    "ExtraRule",
    "Message",
    "Relaxation",
    "RowError",
    "SelectionResult",
    "SelectionRules",
    "band_of",
    "candidates_parse",
    "candidates_read",
    "id_key",
    "rules_from_mapping",
    "rules_load",
    "select_representatives",
    "top_k",
]
