from rest_framework.routers import DefaultRouter

from .views import LoanApplicationViewSet, LoanSchemeViewSet

router = DefaultRouter()
router.register("schemes", LoanSchemeViewSet, basename="loan-scheme")
router.register("loan-applications", LoanApplicationViewSet, basename="loan-application")

urlpatterns = router.urls
