"""Base forms rendered the DSFR way."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrForm(DsfrBaseForm):
    """A form whose fields render as DSFR input groups (directly or through crispy)."""

    def get_context(self):
        # Skip DsfrBaseForm.get_context: it only warns about a transitional setting.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


def is_well_formed_key(field: models.Field, raw: object) -> bool:
    """Whether `raw` can be looked up in `field`: the right type, and for an integer
    within the database's range (a larger one makes SQLite, or PostgreSQL, fail)."""
    try:
        value = field.to_python(raw)
    except ValidationError:
        return False
    if isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or low <= value) and (high is None or value <= high)
    return True


class WellFormedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a malformed key with a form error instead of a 500."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for raw in value:
            if not is_well_formed_key(key, raw):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": raw},
                )
        return super()._check_values(value)


class WellFormedModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing a malformed key with a form error instead of a 500."""

    def to_python(self, value):
        if value not in self.empty_values:
            opts = self.queryset.model._meta
            key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            raw = getattr(value, key.attname, value)
            if not isinstance(raw, models.Model) and not is_well_formed_key(key, raw):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def well_formed_form_class(db_field: models.Field) -> type[forms.Field] | None:
    """The form field class that refuses malformed keys for a relation, if it is one."""
    if isinstance(db_field, models.ManyToManyField):
        return WellFormedModelMultipleChoiceField
    if isinstance(db_field, models.ForeignKey):
        return WellFormedModelChoiceField
    return None


def _formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    if form_class := well_formed_form_class(db_field):
        kwargs.setdefault("form_class", form_class)
    return db_field.formfield(**kwargs)


class DsfrModelForm(forms.ModelForm):
    """The ModelForm counterpart of DsfrForm."""

    # Subclasses declare `class Meta(DsfrModelForm.Meta)` to keep the well-formed keys.
    class Meta:
        formfield_callback = _formfield

    bound_field_class = DsfrBoundField
    template_name = DsfrBaseForm.template_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


def layout_helper(*layout: LayoutObject | str) -> FormHelper:
    """A crispy helper laying out a form inside the page's own <form>, csrf and buttons.

    Rendered with `{% crispy form %}`: the error summary, then the layout; hidden fields
    the layout leaves out are rendered too.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.render_hidden_fields = True
    helper.layout = Layout(*layout)
    return helper


class SearchForm(DsfrForm):
    """The search box of a list (`?q=`): 100 characters at most, no NUL byte. A value it
    refuses searches nothing and says why."""

    q = forms.CharField(label="Rechercher", required=False, max_length=100)

    @property
    def query(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""
