from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from greenjobs import ratelimit
from greenjobs.exceptions import DomainError
from greenjobs.permissions import login_required

from . import services
from .forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignUpForm,
)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and ratelimit.over_limit(
        request, scope="accounts:sign-up", limit=settings.SIGN_UP_LIMIT, window=settings.SIGN_UP_WINDOW
    ):
        form.is_valid()  # keeps what was typed on the page
        form.add_error(None, _("Too many sign-up attempts from your connection. Please try again later."))
        return render(request, "accounts/sign_up.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.applicant_sign_up(
                email=data["email"],
                password=data["password1"],
                national_id=data["national_id"],
                mobile=data["mobile"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                latin_name=data.get("latin_name", ""),
                language=get_language(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return redirect("accounts:sign_up_done")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_done(request):
    return render(request, "accounts/sign_up_done.html")


def verify_email(request, uidb64, token):
    try:
        services.email_verify(uidb64=uidb64, token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_failed.html", {"reason": exc.message}, status=400)
    messages.success(request, _("Your e-mail address is verified. You can sign in now."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True)
            .first()
        )
        if user is not None and user.needs_email_verification:
            services.email_verification_send(user=user)
        # The same answer whether or not the address has an account, so it reveals nothing.
        messages.info(request, _("If an unverified account uses this address, a new link is on its way."))
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def dashboard(request):
    """Sends each person to the landing page of their role."""
    user = request.user
    if user.is_applicant:
        return redirect("measurement:applicant_dashboard")
    if user.is_agency_staff:
        return redirect("measurement:staff_dashboard")
    if user.is_programme_manager:
        return redirect("measurement:programme_dashboard")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "403.html", status=403)


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    form_class=PasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if ratelimit.over_limit(
            request,
            scope="accounts:password-reset",
            limit=settings.PASSWORD_RESET_LIMIT,
            window=settings.PASSWORD_RESET_WINDOW,
        ):
            form = self.get_form()
            form.is_valid()  # keeps what was typed on the page
            form.add_error(None, _("Too many reset requests from your connection. Please try again later."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Django would send the mail inside the request; the portal queues it like every other mail,
        # so a slow or absent mail server neither holds the page nor loses the link. The answer is the
        # same whether or not the address has an account.
        services.password_reset_request(users=form.get_users(form.cleaned_data["email"]))
        return redirect(self.success_url)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_POST
def set_language(request):
    """Django's language switch, plus remembering the choice on the account for e-mails and other devices."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response
