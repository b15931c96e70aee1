from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from greenjobs.text import search_key
from greenjobs.validators import validate_mobile, validate_national_id


class Kind(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Usernames are matched case-insensitively: "Applicant" and "applicant" are one account.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person with an account. What they may do follows from `kind` and, for staff, their membership."""

    kind = models.CharField(_("kind of account"), max_length=32, choices=Kind.choices, default=Kind.APPLICANT)
    email = models.EmailField(_("e-mail address"), blank=True)
    # Stored as ASCII digits after normalisation, so "۰۰۱..." and "001..." are the same person.
    national_id = models.CharField(
        _("national ID"), max_length=10, blank=True, null=True, unique=True, validators=[validate_national_id]
    )
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, null=True, unique=True, validators=[validate_mobile]
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, default="fa")
    # How the English certificate writes the person's name (Persian names are not transliterated).
    latin_name = models.CharField(_("name in Latin letters"), max_length=150, blank=True)
    # The name as staff search matches it (greenjobs.text.search_key): kept by save().
    search_text = models.CharField(max_length=300, editable=False, default="")

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_ci_unique"
            ),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.first_name} {self.last_name}")[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_applicant(self) -> bool:
        return self.kind == Kind.APPLICANT

    @property
    def is_agency_staff(self) -> bool:
        return self.kind == Kind.AGENCY_STAFF

    @property
    def is_programme_manager(self) -> bool:
        return self.kind == Kind.PROGRAMME_MANAGER

    @property
    def needs_email_verification(self) -> bool:
        return self.is_applicant and self.email_verified_at is None
