from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "vsend.children"
    verbose_name = "Children and young people"
