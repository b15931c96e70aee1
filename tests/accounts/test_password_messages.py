"""Password rules speak formal Persian on Persian pages, with Persian digits (issue 9, defect 14)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.accounts.test_sign_up import sign_up_data

User = get_user_model()
LATIN_LETTERS_OR_DIGITS = re.compile("[A-Za-z0-9]")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def password_errors(response) -> list[str]:
    return re.findall(r'data-testid="error-password1">([^<]*)</div>', response.content.decode())


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Qm-7x", "این رمز عبور بسیار کوتاه است: باید دست‌کم ۱۰ نویسه داشته باشد."),
        ("8471620935", "این رمز عبور فقط از رقم تشکیل شده است."),
        ("qwertyuiop", "این رمز عبور از رمزهای عبور بسیار رایج است."),
    ],
)
def test_a_refused_password_is_explained_in_formal_persian_with_persian_digits(client, password, expected):
    client.cookies["django_language"] = "fa"

    response = client.post(reverse("accounts:sign_up"), sign_up_data(password1=password, password2=password))

    assert response.status_code == 200
    assert password_errors(response) == [escape(expected)]
    assert User.objects.count() == 0


def test_a_password_like_the_e_mail_address_is_refused_in_persian(client):
    client.cookies["django_language"] = "fa"
    email = "narges.salehi1405@example.ir"

    response = client.post(
        reverse("accounts:sign_up"), sign_up_data(email=email, password1=email, password2=email)
    )

    assert password_errors(response) == [escape("این رمز عبور بیش از اندازه به نام کاربری شما شبیه است.")]
    assert User.objects.count() == 0


def test_every_password_rule_is_described_in_persian_without_latin_letters_or_digits():
    with translation.override("fa"):
        texts = password_validators_help_texts()

    assert texts == [
        "رمز عبور شما نباید به دیگر اطلاعات شخصی‌تان شبیه باشد.",
        "رمز عبور شما باید دست‌کم ۱۰ نویسه داشته باشد.",
        "رمز عبور شما نباید از رمزهای عبور رایج باشد.",
        "رمز عبور شما نباید فقط از رقم تشکیل شده باشد.",
    ]
    assert not any(LATIN_LETTERS_OR_DIGITS.search(text) for text in texts)
