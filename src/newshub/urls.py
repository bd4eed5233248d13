from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("newshub.comments.urls")),
    path("api/", include("newshub.api.urls")),
    path("", include("newshub.web.urls")),
]
