from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the browser's, on any device they use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        cookie = request.COOKIES.get("django_language")
        if user is not None and user.is_authenticated and not cookie and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
