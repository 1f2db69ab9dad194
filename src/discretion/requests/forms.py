"""Intake question pages and workflow forms, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms

from discretion.policy import Category, Channel, Document, Information, Purpose
from discretion.requests.models import InformOutcome, TaskKind
from discretion.uploads import AttachmentForm

CATEGORY_LABELS = {
    "colleague": "A colleague in the council",
    "other_agency": "Another agency (health, school, probation…)",
    "police": "Police",
    "court": "A court",
    "childrens_guardian": "A Children's Guardian (Cafcass)",
    "inspector": "An inspector (Ofsted, CQC…)",
    "inquiry": "An inquiry or review",
    "solicitor": "A solicitor",
    "advocate": "An advocate",
    "researcher_internal": "A researcher in the council",
    "researcher_external": "An outside researcher",
    "media": "The media (press, radio, TV, online)",
    "data_subject": "The person the information is about",
    "parent_carer": "A parent or carer",
    "member_of_public": "A member of the public",
    "outside_body": "Another outside body",
}
CHANNEL_LABELS = {
    "phone": "Telephone",
    "email": "E-mail",
    "secure_email": "Secure e-mail",
    "letter": "Letter",
    "in_person": "In person",
    "portal": "Online portal",
}
PURPOSE_LABELS = {
    "care_planning": "Planning the child's care",
    "section_47_enquiry": "A Section 47 child protection enquiry",
    "criminal_investigation": "Investigating a crime",
    "missing_child": "Finding a missing child",
    "inquiry_review": "An inquiry or safeguarding practice review",
    "legal_proceedings": "Court proceedings",
    "inspection": "An inspection",
    "research": "Research",
    "audit_monitoring": "Audit or monitoring",
    "media_story": "A media story",
    "own_records": "Their own records",
    "foi": "A Freedom of Information request",
    "statutory_function": "Another statutory function",
    "other": "Something else",
}
INFORMATION_LABELS = {
    "child_personal": "About the child",
    "third_party_personal": "About other people (family, carers)",
    "confidential_source": "Information given in confidence (e.g. who made a referral)",
    "commercial": "Commercial information",
    "aggregate": "Statistics",
    "non_personal": "Nothing personal",
}
DOCUMENT_LABELS = {
    "court_order": "Court order",
    "guardian_appointment": "Children's Guardian appointment",
    "inspector_authority": "Inspector's authority",
    "research_submission": "Research submission",
    "research_approval": "Research approval",
    "written_consent": "Written consent",
    "legal_basis_statement": "Statement of legal basis",
}


def _choices(codes: Any, labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(c.value, labels.get(c.value, c.value)) for c in codes]


class WhoForm(forms.Form):
    category = forms.ChoiceField(
        label="Who is asking?",
        choices=_choices(Category, CATEGORY_LABELS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asking"},
    )
    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter their name"}
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    role = forms.CharField(label="Their role", max_length=200, required=False)
    contact = forms.CharField(
        label="Contact details",
        max_length=254,
        required=False,
        help_text="Telephone, e-mail or postal address.",
    )
    channel = forms.ChoiceField(
        label="How did the request arrive?",
        choices=_choices(Channel, CHANNEL_LABELS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request arrived"},
    )
    works_with_child = forms.BooleanField(label="They have a role in this child's care", required=False)
    colleague = forms.CharField(
        label="If a colleague: their username or council e-mail address",
        max_length=254,
        required=False,
        help_text="A colleague's request is logged against their own account. You cannot log a request "
        "you are making yourself.",
    )


class WhomForm(forms.Form):
    q = forms.CharField(label="Name of the child or young person", max_length=120, required=False)


class WhatForm(forms.Form):
    information = forms.MultipleChoiceField(
        label="What are they asking for?",
        choices=_choices(Information, INFORMATION_LABELS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what they are asking for"},
    )
    summary = forms.CharField(
        label="What they asked, in their words",
        help_text="The person who approves the request reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter what they asked, in their words"},
    )
    purpose = forms.ChoiceField(
        label="Why do they want it?",
        choices=_choices(Purpose, PURPOSE_LABELS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select why they want it"},
    )
    claims_legal_right = forms.BooleanField(label="They say they have a legal right to it", required=False)
    in_doubt = forms.BooleanField(label="You are unsure whether the law allows sharing", required=False)


class MediaQuestionForm(forms.Form):
    """A media enquiry: the journalist's question, recorded before it goes to the press office."""

    summary = forms.CharField(
        label="What did the journalist ask?",
        help_text="Write their question down as they put it. The press office answers it; you do not.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the question the journalist asked"},
    )


class ChecksMadeForm(forms.Form):
    """Checks the handler has already made while taking the request (policy 1.4, 2.4): optional
    at intake, recorded as the request's tasks once it is logged."""

    identity_note = forms.CharField(
        label="How you checked who they are",
        help_text="For example, their warrant card number checked with the force.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    entitlement_note = forms.CharField(
        label="How you checked they are entitled to the information",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    callback_number = forms.CharField(label="Number you called back on", max_length=40, required=False)
    number_source = forms.CharField(
        label="Where the number came from",
        max_length=200,
        required=False,
        help_text="An independent source, such as the force switchboard, never the number they gave.",
    )

    def __init__(self, *args: Any, by_phone: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_phone = by_phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.by_phone and data.get("entitlement_note"):
            if not data.get("callback_number"):
                self.add_error("callback_number", "Enter the number you called back on")
            if not data.get("number_source"):
                self.add_error("number_source", "Enter where the number came from (policy 2.4)")
        return data


class DocumentForm(AttachmentForm):
    code = forms.ChoiceField(
        label="What is the document?",
        choices=_choices(Document, DOCUMENT_LABELS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )
    field_order = ["code", "file"]


class ReferralForm(forms.Form):
    approve = forms.ChoiceField(
        label="Your decision",
        choices=[("yes", "Approve"), ("no", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or refuse"},
    )
    reasoning = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the reasons for your decision"},
    )


class TaskForm(forms.Form):
    kind = forms.ChoiceField(choices=TaskKind.choices, widget=forms.HiddenInput)
    # Required by the service, except for a child not told, where the reason is the note.
    note = forms.CharField(
        label="What you did", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    callback_number = forms.CharField(label="Number you called back on", max_length=40, required=False)
    number_source = forms.CharField(
        label="Where the number came from",
        max_length=200,
        required=False,
        help_text="An independent source, such as the force switchboard (policy 2.4).",
    )
    outcome = forms.ChoiceField(
        label="Was the child told?", choices=InformOutcome.choices, required=False, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="If they were not told: why not",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class DocumentCheckForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.ChoiceField(
        label="Is the document genuine and does it cover this request?",
        choices=[("yes", "Yes, accept it"), ("no", "No, do not accept it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the document"},
    )
    note = forms.CharField(
        label="What you checked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter what you checked (for example, the court, case number and date)"},
    )


class RecordAccessAskForm(forms.Form):
    reason = forms.CharField(
        label="Why you need to open the records",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why you need to open the records"},
    )


class ReleaseForm(forms.Form):
    channel = forms.ChoiceField(
        label="How will it be sent?",
        choices=[("secure_link", "Secure download link"), ("post", "Print and post")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it will be sent"},
    )
    address = forms.CharField(
        label="Recipient's e-mail or postal address",
        max_length=254,
        error_messages={"required": "Enter the recipient's address"},
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Why is it being closed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter why the request is being closed"},
    )
