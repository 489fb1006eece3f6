"""Base forms rendered the DSFR way."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, LayoutObject
from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrForm(DsfrBaseForm):
    """A form whose fields render as DSFR input groups (directly or through crispy)."""

    def get_context(self):
        # Skip DsfrBaseForm.get_context: it only warns about a transitional setting.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


class DsfrModelForm(forms.ModelForm):
    """The ModelForm counterpart of DsfrForm."""

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
