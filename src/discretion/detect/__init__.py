"""Personal-data finder for outgoing messages (policy 1.1): patterns plus the council's known subjects.

Pure: no Django, no I/O (except `cli.py`).
"""

from discretion.detect.index import DEFAULT_CASE_REF_PATTERNS, SubjectIndex
from discretion.detect.model import (
    Address,
    Finding,
    Label,
    ScanResult,
    StaffMember,
    Subject,
    SubjectFormatError,
    is_service_user_personal_data,
)
from discretion.detect.normalise import Normalised, normalise
from discretion.detect.patterns import nhs_checksum_ok
from discretion.detect.scan import scan

__all__ = [
    "DEFAULT_CASE_REF_PATTERNS",
    "Address",
    "Finding",
    "Label",
    "Normalised",
    "ScanResult",
    "StaffMember",
    "Subject",
    "SubjectFormatError",
    "SubjectIndex",
    "is_service_user_personal_data",
    "nhs_checksum_ok",
    "normalise",
    "scan",
]
