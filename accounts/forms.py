from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin


class SignUpForm(BootstrapFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    latin_name = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=150,
        required=False,
        help_text=_("Optional: as on your passport. English certificates print your name this way."),
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en", "autocomplete": "name"}),
    )
    email = forms.EmailField(label=_("E-mail address"))
    national_id = forms.CharField(
        label=_("National ID"),
        max_length=20,
        help_text=_("Ten digits; Persian or Latin digits are both fine."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, help_text=_("For example 0912 345 6789.")
    )
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            # An unsaved user carries the details the similarity rule compares the password with.
            candidate = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    username = forms.CharField(label=_("Username or e-mail"), max_length=254)

    error_messages = {
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("This account is disabled. Contact the portal's administrator."),
        "unverified": _(
            "Your e-mail address is not verified yet. Open the link we sent you, or ask for a new one."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.needs_email_verification:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    """Only the address; the view hands it to `services.password_reset_request`, which queues the mail."""


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass
