from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors


class PreferencesForm(forms.Form):
    """One e-mail box per kind of event the person can receive, and an SMS box where it is urgent."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, wanted in rows:
            email = forms.BooleanField(
                label=_("E-mail: %(kind)s") % {"kind": kind.label},
                required=False,
                initial=wanted[selectors.EMAIL],
                disabled=not kind.email_optional,
                help_text=None if kind.email_optional else _("Always sent: it protects your account."),
            )
            self.fields[f"{kind.code}:email"] = email
            sms = None
            if kind.urgent:
                sms = forms.BooleanField(
                    label=_("SMS: %(kind)s") % {"kind": kind.label},
                    required=False,
                    initial=wanted[selectors.SMS],
                )
                self.fields[f"{kind.code}:sms"] = sms
            self.rows.append(
                {
                    "kind": kind,
                    "email": self[f"{kind.code}:email"],
                    "sms": self[f"{kind.code}:sms"] if sms is not None else None,
                }
            )

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            row["kind"].code: {
                selectors.EMAIL: self.cleaned_data.get(f"{row['kind'].code}:email", False),
                selectors.SMS: self.cleaned_data.get(f"{row['kind'].code}:sms", False),
            }
            for row in self.rows
        }
