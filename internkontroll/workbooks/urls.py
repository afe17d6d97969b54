from django.urls import path

from internkontroll.workbooks import views

app_name = "workbooks"
urlpatterns = [
    path("plan/<int:pk>/", views.download, name="download"),
    path("plan/<int:pk>/mall/", views.template, name="template"),
    path("plan/<int:pk>/ladda-upp/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/genomfor/", views.apply, name="apply"),
    path("<int:pk>/avbryt/", views.cancel, name="cancel"),
]
