from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Applicants sign in with their e-mail; staff accounts with the username an administrator gave."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        username = username.strip()
        field = "email__iexact" if "@" in username else "username__iexact"
        try:
            user = User._default_manager.get(**{field: username})
        except (User.DoesNotExist, User.MultipleObjectsReturned):
            # Spend the same time as a real check, so timing does not tell which accounts exist.
            User().set_password(password)
            return None
        if password == settings.COMMITTED_DEMO_PASSWORD and not settings.COMMITTED_DEMO_PASSWORD_ALLOWED:
            # The README publishes this password: outside a local demo no account may use it, whatever
            # put it there (a demo loaded by mistake, an administrator's shortcut).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
