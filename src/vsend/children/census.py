"""School census codes for SEN provision and type of need (DfE)."""

from django.db import models


class SENProvision(models.TextChoices):
    NONE = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "Education, health and care plan"


class NeedType(models.TextChoices):
    SLCN = "SLCN", "Speech, language and communication needs"
    ASD = "ASD", "Autistic spectrum disorder"
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


# The Code of Practice's broad areas of need, by census code.
BROAD_AREA = {
    "SLCN": "Communication and interaction",
    "ASD": "Communication and interaction",
    "SPLD": "Cognition and learning",
    "MLD": "Cognition and learning",
    "SLD": "Cognition and learning",
    "PMLD": "Cognition and learning",
    "SEMH": "Social, emotional and mental health",
    "HI": "Sensory and/or physical",
    "VI": "Sensory and/or physical",
    "MSI": "Sensory and/or physical",
    "PD": "Sensory and/or physical",
    "DS": "Down syndrome",
    "OTH": "Other",
    "NSA": "Other",
}


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
