"""The public read edition (a later slice)."""

urlpatterns: list = []
