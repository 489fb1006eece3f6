"""
Everything the product holds about an agent, in one ZIP (RGPD, rights of access and
portability): `mes-donnees.json`, gathered from each app's own exporter, and the PDF of
each synthesis of theirs. Only for the agent themselves: the view takes no identifier.
"""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from bpp.mailer.export import notifications_of
from bpp.people.export import account_data
from bpp.people.models import User
from bpp.requests.export import requests_of
from cohorts.export import enrolments_of
from synthesis.export import syntheses_of

README = (
    "Vos données dans le service des bilans de parcours professionnels.\n\n"
    "mes-donnees.json : votre compte, votre profil, vos demandes et leur historique, vos "
    "inscriptions (séances, présence, contrat, questionnaires, messages du programme et "
    "réponses aux exercices), vos documents de synthèse "
    "(versions, signatures, partages, lectures, historique), les événements de votre "
    "compte et les messages que le service vous a envoyés.\n"
    "syntheses/ : le PDF de chacun de vos documents de synthèse, tel qu’il est aujourd’hui.\n"
)


def agent_archive(user: User) -> bytes:
    """The ZIP of everything held about `user`, an agent."""
    profile = user.agent_profile
    syntheses, pdfs = syntheses_of(profile)
    data = {
        "exporte_le": timezone.now(),
        **account_data(user),
        "demandes": requests_of(profile),
        "inscriptions": enrolments_of(profile),
        "syntheses": syntheses,
        "messages": notifications_of(user),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZ-MOI.txt", README)
        archive.writestr(
            "mes-donnees.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, content in pdfs:
            archive.writestr(f"syntheses/{name}", content)
    return buffer.getvalue()
