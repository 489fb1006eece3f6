"""What the product holds about a person's account, for their data export (RGPD, art. 15
and 20); the other apps add theirs, and bpp.pages.export gathers them."""

from bpp.people.models import AgentProfile, User


def _name(user: User | None) -> str | None:
    return user.get_full_name() if user else None


def account_data(user: User) -> dict:
    """The account, the agent profile, the roles, the account's events and notices."""
    profile = (
        AgentProfile.objects.filter(user=user)
        .select_related("organisation", "service", "manager")
        .first()
    )
    return {
        "compte": {
            "adresse_electronique": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "actif": user.is_active,
            "cree_le": user.date_joined,
            "derniere_connexion": user.last_login,
        },
        "profil_agent": None
        if profile is None
        else {
            "employeur": profile.organisation.name,
            "service": profile.service.name,
            "statut": profile.get_status_display(),
            "categorie": profile.get_category_display(),
            "corps_ou_fonction": profile.function_title,
            "date_de_prise_de_poste": profile.post_start_date,
            "superieur_hierarchique": _name(profile.manager),
            "diplome_de_niveau_4": profile.holds_level4_diploma,
            "beneficiaire_L5212_13": profile.covered_by_l5212_13,
            "expose_a_l_usure_professionnelle": profile.exposed_to_professional_wear,
            "emploi_supprime_par_une_restructuration": profile.job_cut_by_restructuring,
        },
        "roles": [
            {"role": a.get_role_display(), "aupres_de": str(a.organisation or a.provider)}
            for a in user.role_assignments_cache
        ],
        "evenements_du_compte": [
            {"evenement": e.get_kind_display(), "detail": e.detail, "par": _name(e.by), "le": e.at}
            for e in user.account_events.select_related("by")
        ],
        "avis_de_suppression": [
            {
                "donnee": n.get_subject_display(),
                "suppression_prevue_le": n.deletes_on,
                "prevenu_le": n.sent_at,
            }
            for n in user.deletion_notices.all()
        ],
    }
