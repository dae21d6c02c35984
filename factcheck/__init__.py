"""factcheck: offline cross-document fact checking.

Split articles into claims, cluster the claims that report one real-world
event, and say with typed, value-level evidence which claims of different
articles agree and which contradict.

>>> import factcheck
>>> sorted(name for name in factcheck.__all__ if name[0].isupper())[:3]
['AssertionMode', 'Checker', 'Claim']
"""

from factcheck.errors import (
    ConfigError,
    DocumentError,
    FactcheckError,
    ModelError,
    RecordError,
)
from factcheck.pipeline import Checker, check
from factcheck.records import (
    AssertionMode,
    Claim,
    Cluster,
    Document,
    Evidence,
    EvidenceKind,
    Fact,
    FactKind,
    Label,
    Relation,
    Skipped,
    Stance,
    StanceLabel,
)
from factcheck.reporting import Report
from factcheck.stance import stance

__version__ = "0.1.0"

__all__ = [
    "AssertionMode",
    "Checker",
    "Claim",
    "Cluster",
    "ConfigError",
    "Document",
    "DocumentError",
    "Evidence",
    "EvidenceKind",
    "Fact",
    "FactKind",
    "FactcheckError",
    "Label",
    "ModelError",
    "RecordError",
    "Relation",
    "Report",
    "Skipped",
    "Stance",
    "StanceLabel",
    "check",
    "stance",
]
