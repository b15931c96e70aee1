from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, with the portal's site (greenjobs.admin.PortalAdminSite) as admin.site."""

    default_site = "greenjobs.admin.PortalAdminSite"
