from rest_framework.routers import DefaultRouter

from .views import (
    AwarenessActivityViewSet,
    CertificateVerificationViewSet,
    CertificateViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    SessionViewSet,
    TrainingCentreViewSet,
)

router = DefaultRouter()
router.register("training-centres", TrainingCentreViewSet, basename="training-centre")
router.register("courses", CourseViewSet, basename="training-course")
router.register("training-sessions", SessionViewSet, basename="training-session")
router.register("enrolments", EnrolmentViewSet, basename="training-enrolment")
router.register("certificates", CertificateViewSet, basename="training-certificate")
router.register(
    "certificate-verification",
    CertificateVerificationViewSet,
    basename="training-certificate-verification",
)
router.register("awareness-activities", AwarenessActivityViewSet, basename="training-activity")

urlpatterns = router.urls
