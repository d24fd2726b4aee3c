from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "vsend.workflows"
    verbose_name = "Workflows with steps and due dates, defined as data"
