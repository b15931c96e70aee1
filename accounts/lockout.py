from django.contrib.auth import get_user_model


def lockout_username(request, credentials) -> str:
    """The key axes counts failures under: the account the typed name resolves to, however it was typed.

    A person signs in with a username or an e-mail address, in any letter case; the database folds case
    more generously than Python does (PostgreSQL matches a dotless "ı" to "i"). Resolving the typed
    name the way the sign-in backend does makes every spelling of one account count against it alone.
    A name that matches no account is counted as typed, folded.
    """
    typed = ((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    if not typed:
        return ""
    User = get_user_model()
    field = "email__iexact" if "@" in typed else "username__iexact"
    usernames = list(User._default_manager.filter(**{field: typed}).values_list("username", flat=True)[:2])
    if len(usernames) == 1:
        return usernames[0].casefold()
    return typed.casefold()
