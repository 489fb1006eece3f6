import datetime

from django.core.management.base import BaseCommand

from bpp.pages import indicators, quality, snapshots
from bpp.people.models import Organisation
from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest


class Command(BaseCommand):
    help = (
        "Calcule les chiffres du jour de chaque employeur (indicateurs de l’année en cours et "
        "index de l’accompagnement) et efface ceux des jours passés. À lancer chaque nuit, "
        "après l’enregistrement des rejets implicites et des fins de report."
    )

    def handle(self, *args, **options):
        today = deadlines.legal_today()
        forgotten = snapshots.forget_before(today)
        employers = Organisation.objects.filter(
            pk__in=ReviewRequest.objects.values("organisation").distinct()
        ).order_by("pk")
        count = 0
        for organisation in employers:
            # What the pages open on: the quality index of the year (its indicators over
            # the whole year included) and the indicators from January 1st to today.
            quality.cached_quality(organisation, today.year, today=today)
            indicators.cached(organisation, datetime.date(today.year, 1, 1), today, today=today)
            count += 1
        self.stdout.write(
            f"Chiffres du jour calculés pour {count} employeur{'s' if count > 1 else ''} ; "
            f"{forgotten} chiffre{'s' if forgotten > 1 else ''} des jours passés effacé"
            f"{'s' if forgotten > 1 else ''}."
        )
