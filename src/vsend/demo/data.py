"""The demo authority's shape and the census-like mixes its children are drawn from.

Proportions follow the national picture (DfE, January 2025): about 1 pupil in 7 on SEN
support and 1 in 20 with an EHC plan in mainstream schools; almost all special school pupils
with a plan; boys about 7 in 10 of pupils with plans; speech, language and communication needs
the commonest need on SEN support, autism the commonest with a plan.
"""

from typing import NamedTuple

AUTHORITY = {"name": "Fenmoor County Council", "code": "925"}
LOCALITIES = ["North Fenmoor", "South Fenmoor"]
TRUST = "Fenmoor Learning Trust"
EMAIL_DOMAIN = "fenmoor.example"


class SettingSpec(NamedTuple):
    slug: str
    name: str
    urn: str
    kind: str
    locality: int  # index into LOCALITIES
    in_trust: bool
    establishment: str  # DfE establishment number, used in the demo UPNs
    children: int
    years: list[str]


SETTINGS = [
    SettingSpec(*row)
    for row in [
        (
            "little-acorns",
            "Little Acorns Nursery",
            "900101",
            "early_years",
            0,
            False,
            "1001",
            30,
            ["N1", "N2"],
        ),
        (
            "brookside",
            "Brookside Primary School",
            "900102",
            "primary",
            0,
            False,
            "2001",
            70,
            ["R", "1", "2", "3", "4", "5", "6"],
        ),
        (
            "st-hildas",
            "St Hilda's CE Primary School",
            "900103",
            "primary",
            1,
            True,
            "3001",
            60,
            ["R", "1", "2", "3", "4", "5", "6"],
        ),
        (
            "fenmoor-academy",
            "Fenmoor Academy",
            "900104",
            "secondary",
            1,
            True,
            "4001",
            80,
            ["7", "8", "9", "10", "11"],
        ),
        (
            "riverside",
            "Riverside All-Through School",
            "900105",
            "all_through",
            0,
            False,
            "4002",
            60,
            ["R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"],
        ),
        (
            "oakfield",
            "Oakfield Special School",
            "900106",
            "special",
            1,
            False,
            "7001",
            35,
            ["R", "1", "3", "5", "7", "9", "11", "12", "13", "14"],
        ),
        (
            "the-bridge",
            "The Bridge Centre",
            "900107",
            "alternative_provision",
            0,
            False,
            "1101",
            15,
            ["7", "8", "9", "10", "11"],
        ),
        (
            "fenmoor-college",
            "Fenmoor College",
            "900108",
            "post_16",
            1,
            False,
            "8001",
            30,
            ["12", "13", "14"],
        ),
    ]
]

# Chance of SEN support (K) and of an EHC plan (E), by setting type.
PROVISION_RATES = {
    "early_years": (0.10, 0.03),
    "primary": (0.14, 0.05),
    "secondary": (0.13, 0.05),
    "all_through": (0.14, 0.06),
    "special": (0.02, 0.97),
    "alternative_provision": (0.45, 0.25),
    "post_16": (0.15, 0.10),
}

# Primary need weights by provision (census codes).
NEEDS_SEN_SUPPORT = {
    "SLCN": 25,
    "SEMH": 21,
    "MLD": 13,
    "SPLD": 14,
    "ASD": 10,
    "OTH": 4,
    "PD": 3,
    "HI": 2,
    "VI": 1,
    "MSI": 0.3,
    "SLD": 0.5,
    "NSA": 6,
}
NEEDS_EHC_PLAN = {
    "ASD": 33,
    "SLCN": 21,
    "SEMH": 14,
    "MLD": 8,
    "SLD": 7,
    "PD": 4,
    "SPLD": 3,
    "PMLD": 2,
    "HI": 1.5,
    "VI": 1,
    "MSI": 0.5,
    "OTH": 3,
}
NEEDS_SPECIAL_SCHOOL = {
    "ASD": 35,
    "SLD": 22,
    "PMLD": 10,
    "SEMH": 12,
    "MLD": 8,
    "SLCN": 6,
    "PD": 5,
    "MSI": 2,
}
NEEDS_EARLY_YEARS = {
    "SLCN": 50,
    "ASD": 15,
    "OTH": 8,
    "PD": 7,
    "SEMH": 8,
    "HI": 3,
    "VI": 2,
    "NSA": 7,
}

# Share of boys by provision: all pupils, SEN support, EHC plan.
BOYS = {"N": 0.49, "K": 0.64, "E": 0.72}

SECONDARY_NEED_RATE = 0.35
HOME_LANGUAGES = {
    "English": 82,
    "Polish": 5,
    "Lithuanian": 3,
    "Romanian": 3,
    "Portuguese": 2,
    "Urdu": 2,
    "Bengali": 1,
    "Arabic": 2,
}
