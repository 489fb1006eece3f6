"""The indicators page of HR and HR admins, and its CSV export."""

import csv
import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from bpp.forms import DsfrForm
from bpp.pages import indicators as figures
from bpp.pages.indicators import Indicators
from bpp.pages.permissions import indicator_organisations, may_read_indicators
from bpp.pages.quality import FIRST_YEAR
from bpp.people.models import Organisation
from bpp.people.permissions import user_passes
from bpp.requests import deadlines
from bpp.validators import validate_plausible_date


class PeriodForm(DsfrForm):
    organisation = forms.ModelChoiceField(
        label="Employeur", queryset=Organisation.objects.none(), empty_label=None
    )
    start = forms.DateField(
        label="Du",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )
    end = forms.DateField(
        label="Au",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )

    def __init__(self, data, *, organisations: list[Organisation]):
        today = deadlines.legal_today()
        initial = {
            "organisation": organisations[0].pk,
            "start": datetime.date(today.year, 1, 1).isoformat(),
            "end": today.isoformat(),
        }
        # The page opens on the current year without asking anything.
        super().__init__({**initial, **data.dict()} if data else initial)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("La période commence après sa fin : inversez les dates.")
        if start and end and (end - start).days > 366 * 10:
            raise forms.ValidationError("Choisissez une période de dix ans au plus.")
        return data


def _indicators(request: HttpRequest) -> tuple[PeriodForm, Indicators | None]:
    form = PeriodForm(request.GET, organisations=indicator_organisations(request.user))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, figures.cached(data["organisation"], data["start"], data["end"])


@user_passes(may_read_indicators)
def indicators(request: HttpRequest) -> HttpResponse:
    form, found = _indicators(request)
    # The index of the accompaniment reads whole years: the one the period ends in.
    year = found and min(max(found.end.year, FIRST_YEAR), deadlines.legal_today().year)
    return render(
        request,
        "portals/indicators.html",
        {"form": form, "indicators": found, "query": request.GET.urlencode(), "year": year},
    )


@user_passes(may_read_indicators)
def indicators_csv(request: HttpRequest) -> HttpResponse:
    form, found = _indicators(request)
    if found is None:
        return render(
            request,
            "portals/indicators.html",
            {"form": form, "indicators": None, "query": "", "year": None},
            status=400,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"indicateurs-{found.start:%Y%m%d}-{found.end:%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response.write("\ufeff")  # Excel reads UTF-8 only with its byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Employeur", "Du", "Au", "Indicateur", "Valeur"])
    for label, value in found.rows():
        writer.writerow([found.organisation.name, found.start, found.end, label, value])
    for score, count in found.score_distribution:
        writer.writerow(
            [found.organisation.name, found.start, found.end, f"Notes égales à {score}", count]
        )
    return response
