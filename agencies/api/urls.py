from rest_framework.routers import DefaultRouter

from .views import AgencyViewSet, GoalViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("goals", GoalViewSet, basename="goal")

urlpatterns = router.urls
