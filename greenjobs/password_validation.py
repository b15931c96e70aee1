"""Django's password validators with the portal's own wording and the reader's digits.

Django's Persian catalogue leaves some of these messages untranslated (they show in English on a
Persian page) and words others colloquially; Django also puts the minimum length into the sentence
with Latin digits. The rules are Django's; only the messages are ours, so they are translated in the
project's catalogue and their numbers go through greenjobs.formats.
"""

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formats import format_digits


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("This password is too short: it must have at least %(min_length)s characters.") % {
            "min_length": format_digits(self.min_length)
        }

    def get_help_text(self):
        return _("Your password must have at least %(min_length)s characters.") % {
            "min_length": format_digits(self.min_length)
        }


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("Your password must not be similar to your other personal information.")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is among the most commonly used passwords.")

    def get_help_text(self):
        return _("Your password must not be a commonly used password.")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is made of digits only.")

    def get_help_text(self):
        return _("Your password must not be made of digits only.")
