from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject

from .tokens import email_verification_token


def send_verification(user) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    # The message goes out in the language the person signed up in, whatever the worker's locale.
    with translation.override(user.language or "fa"):
        link = absolute_reverse("accounts:verify_email", kwargs={"uidb64": uid, "token": token})
        context = {"user": user, "link": link}
        subject = render_subject("accounts/email/verify_subject.txt", context)
        body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_account_exists(user) -> None:
    """Tells the holder of an account that someone tried to sign up with its details, and how to get in."""
    with translation.override(user.language or "fa"):
        context = {
            "user": user,
            "login_link": absolute_reverse("accounts:login"),
            "reset_link": absolute_reverse("accounts:password_reset"),
        }
        subject = render_subject("accounts/email/account_exists_subject.txt", context)
        body = render_to_string("accounts/email/account_exists_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_password_reset(user) -> None:
    """The reset link, in the language of the account (not of whoever asked), to the portal's address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(user.language or "fa"):
        link = absolute_reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        context = {"user": user, "link": link}
        subject = render_subject("accounts/email/password_reset_subject.txt", context)
        body = render_to_string("accounts/email/password_reset_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
