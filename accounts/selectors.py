def applicant_dashboard(*, user) -> dict:
    """What an applicant's landing page shows: their profile, their registrations and what comes next."""
    from incentives import selectors as incentives_selectors
    from programs import selectors as programs_selectors

    businesses = list(programs_selectors.business_list(user=user).order_by("-updated_at")[:5])
    from training.selectors.certificates import certificates_for

    loans = list(incentives_selectors.application_list(user=user).order_by("-updated_at")[:5])
    certificates = list(certificates_for(user).order_by("-issued_on", "-pk")[:5])
    return {"profile": user, "businesses": businesses, "loans": loans, "certificates": certificates}
