"""Every write to accounts: sign-up, e-mail verification, language, staff and manager accounts."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.outbox.services import enqueue
from greenjobs.validators import normalize_mobile, normalize_national_id
from notifications.services import notify

from . import notices
from .models import Kind
from .tokens import email_verification_token

User = get_user_model()
logger = logging.getLogger(__name__)


def _identity_normalise(*, email: str, national_id: str, mobile: str) -> tuple[dict, dict]:
    """The identifiers in their stored form, and the format errors keyed by field."""
    errors: dict[str, list] = {}
    cleaned = {"email": User.objects.normalize_email(email.strip()).lower()}
    for field, normalise, raw in (
        ("national_id", normalize_national_id, national_id),
        ("mobile", normalize_mobile, mobile),
    ):
        try:
            cleaned[field] = normalise(raw)
        except ValidationError as exc:
            errors[field] = exc.messages
    return cleaned, errors


def _identity_holders(cleaned: dict, *, exclude_pk=None) -> dict[str, int]:
    """For each identifier another account already holds: that account's id."""
    others = User.objects.exclude(pk=exclude_pk)
    lookups = {"email": "email__iexact", "national_id": "national_id", "mobile": "mobile"}
    holders = {}
    for field, lookup in lookups.items():
        if field in cleaned:
            pk = others.filter(**{lookup: cleaned[field]}).values_list("pk", flat=True).first()
            if pk is not None:
                holders[field] = pk
    return holders


def _identity_clean(*, email: str, national_id: str, mobile: str, exclude_pk=None) -> dict:
    """Normalises the identifiers and checks they are free; raises ValidationError keyed by field.

    For administrators creating accounts, who may be told which identifier is taken. Sign-up is not
    told (see applicant_sign_up).
    """
    cleaned, errors = _identity_normalise(email=email, national_id=national_id, mobile=mobile)
    taken = {
        "email": _("An account with this e-mail address already exists."),
        "national_id": _("An account with this national ID already exists."),
        "mobile": _("An account with this mobile number already exists."),
    }
    for field in _identity_holders(cleaned, exclude_pk=exclude_pk):
        errors.setdefault(field, []).append(taken[field])
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def applicant_sign_up(
    *,
    email: str,
    password: str,
    national_id: str,
    mobile: str,
    first_name: str,
    last_name: str,
    language: str = "fa",
    latin_name: str = "",
) -> "User | None":
    """Creates an unverified applicant and mails the verification link; None when an identifier is taken.

    The caller answers both cases the same way, so the form cannot be used to find out whether a
    national ID, a mobile number or an address has an account. The holder of that account is told by
    mail instead, with the way back in.
    """
    cleaned, errors = _identity_normalise(email=email, national_id=national_id, mobile=mobile)
    if errors:
        raise ValidationError(errors)
    holders = set(_identity_holders(cleaned).values())
    if holders:
        for holder in sorted(holders):
            notify(recipients=[holder], kind=notices.SIGN_UP_ATTEMPT, params={})
            enqueue("accounts.tasks.send_account_exists_notice", holder)
        return None
    user = User(
        username=cleaned["email"],
        email=cleaned["email"],
        national_id=cleaned["national_id"],
        mobile=cleaned["mobile"],
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        latin_name=" ".join(latin_name.split()),
        kind=Kind.APPLICANT,
        language=language if language in ("fa", "en") else "fa",
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    email_verification_send(user=user)
    return user


def email_verification_send(*, user) -> None:
    enqueue("accounts.tasks.send_verification_email", user.pk)


@transaction.atomic
def email_verify(*, uidb64: str, token: str) -> "User":
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.select_for_update().get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise DomainError(_("This verification link is not valid."), code="verification_invalid") from exc
    if user.email_verified_at is not None:
        return user
    if not email_verification_token.check_token(user, token):
        raise DomainError(
            _("This verification link is not valid or has expired. Ask for a new one."),
            code="verification_invalid",
        )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def password_reset_request(*, users) -> int:
    """Queues a reset link for each account the address belongs to; the page answers before any mail
    server is asked, and a server that is down is retried rather than the link silently lost."""
    count = 0
    for user in users:
        if not _password_reset_due(user):
            continue
        enqueue("accounts.tasks.send_password_reset_email", user.pk)
        count += 1
    return count


def _password_reset_due(user) -> bool:
    """False while the account's last reset mail is younger than PASSWORD_RESET_INTERVAL."""
    try:
        return cache.add(f"accounts:password-reset:{user.pk}", 1, timeout=settings.PASSWORD_RESET_INTERVAL)
    except Exception:  # a cache that is down must not stop a person from getting back in
        logger.warning("Password reset interval not checked: the cache is unreachable.", exc_info=True)
        return True


def user_set_language(*, user, language: str) -> None:
    if language in ("fa", "en") and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    actor,
    mobile: str = "",
) -> "User":
    """The account of an agency staff member, without its agency: agencies.services.staff_account_create
    makes it and places it in its agency in one transaction. Staff never sign themselves up."""
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        kind=Kind.AGENCY_STAFF,
        mobile=normalize_mobile(mobile) if mobile else None,
        email_verified_at=timezone.now(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def programme_manager_create(
    *, username: str, email: str, first_name: str, last_name: str, password: str | None, actor
) -> "User":
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        kind=Kind.PROGRAMME_MANAGER,
        email_verified_at=timezone.now(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def unverified_signups_purge(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Frees the identifiers of people who signed up and never opened their verification link.

    Only the portal's own sign-ups are purged: an account an agency made from a registry sheet or a
    training roster has no usable password (its owner is given access later) and is never a sign-up.
    A sign-up that something now refers to is kept rather than failing the whole nightly run.
    """
    cutoff = timezone.now() - older_than
    candidates = (
        User.objects.filter(
            kind=Kind.APPLICANT,
            email_verified_at__isnull=True,
            date_joined__lt=cutoff,
            last_login__isnull=True,
        )
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .values_list("pk", flat=True)
    )
    purged = 0
    for pk in list(candidates.iterator()):
        try:
            with transaction.atomic():
                User.objects.filter(pk=pk).delete()
        except ProtectedError:
            logger.warning("Unverified sign-up %s is referred to by other records; it is kept.", pk)
        else:
            purged += 1
    return purged
