"""Writes on the statutory pathway: each one transaction and one audit row, refused with a
message that says what to change (StatutoryError) rather than a 500.

The writes live in the modules of this package by what they write; every public name is
importable from here."""

from vsend.statutory.services.appeals import record_appeal
from vsend.statutory.services.cases import YOUNG_PERSON_AGES, record_step, request_assessment
from vsend.statutory.services.clock import end_exception, record_exception
from vsend.statutory.services.common import OpenRequestExists, StatutoryError, workflow_of
from vsend.statutory.services.letters import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, add_document
from vsend.statutory.services.outcomes import (
    add_plan_outcome,
    adulthood_applies,
    record_adulthood,
    remove_plan_outcome,
    update_plan_outcome,
)
from vsend.statutory.services.plans import (
    PlanDetails,
    cease_plan,
    issue_final_plan,
    start_annual_review,
    update_plan,
)
from vsend.statutory.services.withdrawal import withdraw

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DOCUMENT_BYTES",
    "YOUNG_PERSON_AGES",
    "OpenRequestExists",
    "PlanDetails",
    "StatutoryError",
    "add_document",
    "add_plan_outcome",
    "adulthood_applies",
    "record_adulthood",
    "remove_plan_outcome",
    "cease_plan",
    "end_exception",
    "issue_final_plan",
    "record_appeal",
    "record_exception",
    "record_step",
    "request_assessment",
    "start_annual_review",
    "update_plan",
    "update_plan_outcome",
    "withdraw",
    "workflow_of",
]
