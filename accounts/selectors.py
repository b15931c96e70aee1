def applicant_dashboard(*, user) -> dict:
    """What an applicant's landing page shows: their profile and what they can do next."""
    next_steps = []
    if not user.mobile:
        next_steps.append("add_mobile")
    return {"profile": user, "next_steps": next_steps}
