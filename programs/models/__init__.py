from .initiatives import Bid, Initiative, Milestone, Project, ProjectEvent
from .registry import (
    CATEGORY_UNITS,
    Assessment,
    AssessmentItem,
    Business,
    BusinessDocument,
    County,
    DocumentKind,
    GreenJob,
    GreenOccupation,
    ImportJob,
    LegalForm,
    OccupationKind,
    RegistrationEvent,
    RegistrationStatus,
    RequirementCategory,
    Sector,
    Unit,
)

__all__ = [
    "CATEGORY_UNITS", "Assessment", "AssessmentItem", "Bid", "Business", "BusinessDocument", "County",
    "DocumentKind", "GreenJob", "GreenOccupation", "ImportJob", "Initiative",
    "LegalForm", "Milestone", "OccupationKind", "Project", "ProjectEvent", "RegistrationEvent",
    "RegistrationStatus", "RequirementCategory", "Sector", "Unit",
]  # fmt: skip
