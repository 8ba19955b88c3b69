"""VLR Review Workbench: review a city's Voluntary Local Review.

The public face of the library. Notebooks and the CLI import from here.
"""


from .errors import (
    AnnotationError,
    BundleError,
    ChecklistError,
    ConflictError,
    ConsultationLogError,
    DataFileError,
    DocumentError,
    FrameworkError,
    MappingError,
    MemoError,
    MissingComponentError,
    Problem,
    UnknownCodeError,
    VlrError,
    WorkspaceError,
)
from .i18n import t

__version__ = "0.1.0"

__all__ = [
    "AnnotationError",
    "BundleError",
    "ChecklistError",
    "ConflictError",
    "ConsultationLogError",
    "DataFileError",
    "DocumentError",
    "FrameworkError",
    "MappingError",
    "MemoError",
    "MissingComponentError",
    "Problem",
    "UnknownCodeError",
    "VlrError",
    "WorkspaceError",
    "t",
]
