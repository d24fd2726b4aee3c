from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vsend.audit"
    verbose_name = "Audit trail"
