"""People, cases, record entries and attachments: the personal data Discretion guards.

Read these only through `discretion.access`: it checks need to know and writes the audit event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from discretion.records.identifiers import nhs_number_is_valid, normalise_nhs_number


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError("Enter a valid NHS number: 10 digits with a correct check digit.")


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Person(models.Model):
    ref = models.CharField("person reference", max_length=16, unique=True)
    given_names = models.CharField(max_length=120)
    family_name = models.CharField(max_length=120)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    # Special-category data (UK GDPR Art 9): never shown to volunteers or students.
    ethnicity = models.CharField(max_length=80, blank=True)
    nhs_number = models.CharField(max_length=12, blank=True, validators=[validate_nhs_number])
    is_child = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["date_of_birth"]), models.Index(fields=["family_name"])]

    def __str__(self) -> str:
        return self.ref

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.nhs_number:
            self.nhs_number = normalise_nhs_number(self.nhs_number)


class NameKind(models.TextChoices):
    LEGAL = "legal", "Legal name"
    ALIAS = "alias", "Alias"
    KNOWN_AS = "known_as", "Known as"
    PREVIOUS = "previous", "Previous name"


class PersonName(models.Model):
    """Every name a person is or was known by, folded for search (trigram-indexed on PostgreSQL)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=16, choices=NameKind.choices)
    given_names = models.CharField(max_length=120, blank=True)
    family_name = models.CharField(max_length=120)
    search_key = models.CharField(max_length=250, db_index=True)
    family_sound = models.CharField(max_length=32, db_index=True)

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=120)
    line2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=8, db_index=True)
    is_current = models.BooleanField(default=True)

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    OTHER = "other", "Other"


class Relationship(models.Model):
    """`person` is the `kind` of `relative` (e.g. person is the parent of relative)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="related_from")
    kind = models.CharField(max_length=16, choices=RelationshipKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="one_relationship_kind"),
            models.CheckConstraint(condition=~models.Q(person=models.F("relative")), name="not_own_relative"),
        ]


class Case(models.Model):
    """An episode of involvement with a child (and the people around them)."""

    ref = models.CharField("case reference", max_length=16, unique=True)
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_of_cases")
    team = models.ForeignKey("staff.Team", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(max_length=80, default="Child in need")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    people: models.ManyToManyField[Person, CaseMember] = models.ManyToManyField(
        Person, through="CaseMember", related_name="cases"
    )

    def __str__(self) -> str:
        return self.ref


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_memberships")
    role = models.CharField(max_length=32, default="subject")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="one_membership")]
        indexes = [models.Index(fields=["person", "case"])]


class EntryKind(models.TextChoices):
    CASE_NOTE = "case_note", "Case note"
    ASSESSMENT = "assessment", "Assessment"
    REFERRAL = "referral", "Referral"
    STRATEGY = "strategy_discussion", "Strategy discussion"
    COURT = "court_document", "Court document"
    CORRESPONDENCE = "correspondence", "Correspondence"
    VISIT = "visit", "Visit record"


class Entry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=32, choices=EntryKind.choices)
    author = models.ForeignKey("staff.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    # Classification (policy 2.1, 1.3, 3): drives redaction, minimisation and who may see it.
    third_party = models.BooleanField("third-party information", default=False)
    confidential_source = models.BooleanField("confidential source", default=False)
    special_category = models.BooleanField("special-category data", default=False)
    commercial = models.BooleanField("commercial information", default=False)

    class Meta:
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class Attachment(models.Model):
    """A file on an entry, stored outside the web root and served only through the access check."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="entries/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("staff.Staff", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class BreakGlass(models.Model):
    """Emergency access to a case outside need to know: reasoned, time-limited, alerted."""

    staff = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="break_glass_grants")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["staff", "case", "expires_at"])]
