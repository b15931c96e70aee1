from .indicators import Indicator, IndicatorTarget, ManualValue, ReportJob
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
    "DocumentKind", "GreenJob", "GreenOccupation", "ImportJob", "Indicator", "IndicatorTarget", "Initiative",
    "LegalForm", "ManualValue", "Milestone", "OccupationKind", "Project", "ProjectEvent", "RegistrationEvent",
    "RegistrationStatus", "ReportJob", "RequirementCategory", "Sector", "Unit",
]  # fmt: skip
