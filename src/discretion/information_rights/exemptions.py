"""FOIA exemptions and EIR exceptions as data: what each is, when it applies, which test it needs.

Pure: no Django. A refusal notice (FOIA s17, EIR reg 14) names each one relied on, why it applies
and, where it is qualified, the public-interest balance (FOIA s2; EIR reg 12(1)(b)).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

# FOIA s12 with the Fees Regulations 2004 reg 3: £450 for a local authority at £25 an hour.
COST_LIMIT_POUNDS = 450
HOURLY_RATE_POUNDS = 25
COST_LIMIT_HOURS = COST_LIMIT_POUNDS / HOURLY_RATE_POUNDS  # 18 hours


@dataclass(frozen=True)
class Exemption:
    code: str
    law: str  # "FOIA" or "EIR"
    title: str
    condition: str
    absolute: bool = False
    prejudice_based: bool = False

    @property
    def qualified(self) -> bool:
        return not self.absolute

    @property
    def limits_the_duty(self) -> bool:
        """s12 (cost) and s14 (vexatious or repeated) are not exemptions: they lift the duty to comply
        at all, and the refusal notice says so (FOIA s17(5)); no public-interest test applies."""
        return self.law == "FOIA" and self.code in ("s12", "s14")

    @property
    def label(self) -> str:
        return f"{self.law} {self.code} – {self.title}"


_ALL = (
    Exemption(
        "s12",
        "FOIA",
        "Cost of compliance exceeds the appropriate limit",
        f"Finding and extracting the information would take more than {COST_LIMIT_HOURS:.0f} hours "
        f"(£{COST_LIMIT_POUNDS} at £{HOURLY_RATE_POUNDS} an hour).",
        absolute=True,
    ),
    Exemption(
        "s14",
        "FOIA",
        "Vexatious or repeated request",
        "The request is vexatious, or repeats one already answered with no reasonable interval.",
        absolute=True,
    ),
    Exemption(
        "s21",
        "FOIA",
        "Information accessible by other means",
        "The information is reasonably accessible to the requester otherwise.",
        absolute=True,
    ),
    Exemption(
        "s22",
        "FOIA",
        "Information intended for future publication",
        "Publication is intended and it is reasonable to withhold until then.",
    ),
    Exemption(
        "s22A",
        "FOIA",
        "Research information",
        "Information obtained in an ongoing programme of research intended for publication, "
        "where disclosure would prejudice the research.",
        prejudice_based=True,
    ),
    Exemption(
        "s23", "FOIA", "Security bodies", "Supplied by or relating to the security bodies.", absolute=True
    ),
    Exemption("s24", "FOIA", "National security", "Exemption is required to safeguard national security."),
    Exemption("s26", "FOIA", "Defence", "Disclosure would prejudice defence.", prejudice_based=True),
    Exemption(
        "s27",
        "FOIA",
        "International relations",
        "Disclosure would prejudice international relations.",
        prejudice_based=True,
    ),
    Exemption(
        "s28",
        "FOIA",
        "Relations within the UK",
        "Disclosure would prejudice relations between UK administrations.",
        prejudice_based=True,
    ),
    Exemption(
        "s29",
        "FOIA",
        "The economy",
        "Disclosure would prejudice the economic interests of the UK.",
        prejudice_based=True,
    ),
    Exemption(
        "s30",
        "FOIA",
        "Investigations and proceedings",
        "Held for an investigation or criminal proceedings the authority conducts.",
    ),
    Exemption(
        "s31",
        "FOIA",
        "Law enforcement",
        "Disclosure would prejudice the prevention or detection of crime or other law enforcement.",
        prejudice_based=True,
    ),
    Exemption(
        "s32",
        "FOIA",
        "Court records",
        "Held only in a document filed with or created by a court.",
        absolute=True,
    ),
    Exemption(
        "s33", "FOIA", "Audit functions", "Disclosure would prejudice audit functions.", prejudice_based=True
    ),
    Exemption(
        "s34",
        "FOIA",
        "Parliamentary privilege",
        "Required to avoid infringing parliamentary privilege.",
        absolute=True,
    ),
    Exemption(
        "s35", "FOIA", "Formulation of government policy", "Relates to the formulation of government policy."
    ),
    Exemption(
        "s36",
        "FOIA",
        "Prejudice to the effective conduct of public affairs",
        "In the reasonable opinion of the qualified person, disclosure would prejudice the effective "
        "conduct of public affairs.",
        prejudice_based=True,
    ),
    Exemption(
        "s37",
        "FOIA",
        "Communications with His Majesty and honours",
        "Communications with the Sovereign or the conferring of honours.",
    ),
    Exemption(
        "s38",
        "FOIA",
        "Health and safety",
        "Disclosure would endanger the physical or mental health or safety of any individual.",
        prejudice_based=True,
    ),
    Exemption(
        "s39", "FOIA", "Environmental information", "The information is to be dealt with under the EIR."
    ),
    Exemption(
        "s40(1)",
        "FOIA",
        "Personal data of the requester",
        "The requester's own personal data: handled as a subject-access request instead (policy 3).",
        absolute=True,
    ),
    Exemption(
        "s40(2)",
        "FOIA",
        "Personal data of third parties",
        "Disclosure of another person's personal data would breach the data protection principles.",
        absolute=True,
    ),
    Exemption(
        "s41",
        "FOIA",
        "Information provided in confidence",
        "Obtained from another person and disclosure would be an actionable breach of confidence — "
        "for example an anonymous child-protection referrer (policy 3).",
        absolute=True,
    ),
    Exemption(
        "s42",
        "FOIA",
        "Legal professional privilege",
        "Information in respect of which legal professional privilege could be claimed.",
    ),
    Exemption(
        "s43",
        "FOIA",
        "Commercial interests",
        "A trade secret, or disclosure would prejudice someone's commercial interests (policy 1.3).",
        prejudice_based=True,
    ),
    Exemption(
        "s44",
        "FOIA",
        "Prohibitions on disclosure",
        "Disclosure is prohibited by another enactment, EU-derived obligation or contempt of court.",
        absolute=True,
    ),
    Exemption("12(4)(a)", "EIR", "Information not held", "The authority does not hold the information."),
    Exemption("12(4)(b)", "EIR", "Manifestly unreasonable", "The request is manifestly unreasonable."),
    Exemption("12(4)(c)", "EIR", "Too general", "The request is too general and advice was given (reg 9)."),
    Exemption(
        "12(4)(d)", "EIR", "Material in the course of completion", "Unfinished documents or incomplete data."
    ),
    Exemption("12(4)(e)", "EIR", "Internal communications", "The request involves internal communications."),
    Exemption(
        "12(5)(a)",
        "EIR",
        "International relations, defence, national security or public safety",
        "Disclosure would adversely affect them.",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(b)",
        "EIR",
        "Course of justice",
        "Disclosure would adversely affect the course of justice or a fair trial.",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(c)",
        "EIR",
        "Intellectual property rights",
        "Disclosure would adversely affect intellectual property rights.",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(d)",
        "EIR",
        "Confidentiality of proceedings",
        "Confidentiality of public authority proceedings provided by law.",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(e)",
        "EIR",
        "Commercial confidentiality",
        "Confidentiality of commercial information provided by law to protect a legitimate economic "
        "interest (policy 1.3).",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(f)",
        "EIR",
        "Interests of the person who provided the information",
        "Supplied voluntarily, no obligation to supply, and no consent to disclose.",
        prejudice_based=True,
    ),
    Exemption(
        "12(5)(g)",
        "EIR",
        "Protection of the environment",
        "Disclosure would adversely affect the protection of the environment.",
        prejudice_based=True,
    ),
    Exemption(
        "13",
        "EIR",
        "Personal data of third parties",
        "Disclosure of another person's personal data would breach the data protection principles.",
        absolute=True,
    ),
)

EXEMPTIONS: MappingProxyType[str, Exemption] = MappingProxyType({f"{e.law}:{e.code}": e for e in _ALL})


def key(law: str, code: str) -> str:
    return f"{law}:{code}"


def for_regime(regime: str) -> list[Exemption]:
    """The exemptions that may be cited under a regime ("foi" → FOIA, "eir" → EIR)."""
    law = "EIR" if regime == "eir" else "FOIA"
    return [e for e in _ALL if e.law == law]


def get(law_code: str) -> Exemption:
    """By "FOIA:s41" / "EIR:13"; KeyError names the unknown code."""
    try:
        return EXEMPTIONS[law_code]
    except KeyError:
        raise KeyError(f"unknown exemption {law_code!r}") from None
