def lockout_username(request, credentials) -> str:
    """The key axes counts failures under: "Narges@x.ir" and " narges@X.IR" are one account."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().casefold()
