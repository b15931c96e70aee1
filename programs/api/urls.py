from rest_framework.routers import DefaultRouter

from .views import AssessmentViewSet, BusinessViewSet, OccupationViewSet

router = DefaultRouter()
router.register("occupations", OccupationViewSet, basename="occupation")
router.register("businesses", BusinessViewSet, basename="business")
router.register("assessments", AssessmentViewSet, basename="assessment")

urlpatterns = router.urls
