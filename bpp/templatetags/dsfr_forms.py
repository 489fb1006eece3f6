"""Filters of the crispy_dsfr template pack (registered in settings as `dsfr_forms`)."""

from dataclasses import dataclass

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@dataclass(frozen=True)
class ErrorSummaryEntry:
    message: str
    label: str = ""
    href: str = ""  # empty for an error no visible field can take the focus for


@dataclass(frozen=True)
class ErrorSummary:
    entries: list[ErrorSummaryEntry]

    @property
    def title(self) -> str:
        # French puts 0 and 1 in the singular; a summary always has at least one error.
        count = len(self.entries)
        return f"Le formulaire contient {count} erreur{'s' if count > 1 else ''}"


def _entries(form: forms.BaseForm) -> list[ErrorSummaryEntry]:
    entries = [ErrorSummaryEntry(str(error)) for error in form.non_field_errors()]
    for field in form:
        href = f"#{field.auto_id}" if field.auto_id and not field.is_hidden else ""
        entries += [ErrorSummaryEntry(str(e), field.label, href) for e in field.errors]
    return entries


@register.filter
def error_summary(
    form: forms.BaseForm, formset: forms.BaseFormSet | None = None
) -> ErrorSummary | None:
    """The errors of the form, its own first, then each field's in order; then the formset's."""
    if not form.is_bound:
        return None
    entries = _entries(form)
    if formset is not None:
        entries += [ErrorSummaryEntry(str(error)) for error in formset.non_form_errors()]
        for subform in formset:
            entries += _entries(subform)
    return ErrorSummary(entries) if entries else None


@register.filter
def dsfr_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with the DSFR class of its kind, unless the form gave it one.

    Fields added in a form's __init__ (and forms that are not ours, like the login form)
    miss the class that DsfrForm gives the fields it is created with.
    """
    widget = field.field.widget
    if "class" in widget.attrs:
        return field.as_widget()
    is_select = isinstance(widget, forms.Select | forms.SelectMultiple)
    return field.as_widget(attrs={"class": "fr-select" if is_select else "fr-input"})
