"""GOV.UK form fields shared by every app's pages: the date input (day, month and year boxes).

Not `<input type=date>`: that control is hard to use with a screen reader or voice control, and
browsers render and validate it differently (GOV.UK Design System, "Date input"). Errors follow
the pattern's wording: "Enter the date received", "Date received must include a month",
"Date received must be a real date".

Below the apps and the web layer (Django forms only), so any app's forms may use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

PARTS = ("day", "month", "year")


class GovUKDateInput(forms.MultiWidget):
    """Three numeric text boxes named `<name>_day`, `<name>_month`, `<name>_year`.

    The day box carries the field's own id, so the error summary's link (`#id_<name>`) lands on it.
    """

    template_name = "information_rights/widgets/date_input.html"
    is_govuk_date = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widths = {"day": 2, "month": 2, "year": 4}
        super().__init__(
            {
                part: forms.TextInput(
                    attrs={
                        "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                        "inputmode": "numeric",
                    }
                )
                for part in PARTS
            },
            attrs,
        )

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field_id = (attrs or {}).get("id") or self.attrs.get("id")
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
            if field_id:
                subwidget["attrs"]["id"] = field_id if part == "day" else f"{field_id}_{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class GovUKDateField(forms.Field):
    """A date typed as day, month and year; `None` when all three are left blank."""

    widget = GovUKDateInput

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        name = label[0].lower() + label[1:]
        self.messages = {
            "required": f"Enter the {name}",
            "real": f"{label} must be a real date",
            "year": "Year must include 4 numbers",
        }
        kwargs.setdefault("error_messages", {"required": self.messages["required"]})
        super().__init__(label=label, required=required, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        parts = [str(p or "").strip() for p in (value if isinstance(value, list | tuple) else [])]
        parts += [""] * (3 - len(parts))
        day, month, year = parts[:3]
        if not (day or month or year):
            return None
        missing = [part for part, text in zip(PARTS, (day, month, year), strict=True) if not text]
        if missing:
            raise forms.ValidationError(f"{self.label} must include a {' and a '.join(missing)}")
        if not (day.isdecimal() and month.isdecimal() and year.isdecimal()):
            raise forms.ValidationError(self.messages["real"])
        if len(year) != 4:
            raise forms.ValidationError(self.messages["year"])
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.messages["real"]) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(data) != initial)
        except forms.ValidationError:
            return True
