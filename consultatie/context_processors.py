from django.conf import settings


def site(request):
    """Values every page needs: the contact address for the footer and error pages."""
    return {"CONTACT_EMAIL": settings.CONTACT_EMAIL}
