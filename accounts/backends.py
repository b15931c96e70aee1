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
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
