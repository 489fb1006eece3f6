"""
The commitment and confidentiality contract each agent signs in phase 1.

The text is versioned: an agent signs one version, recorded with the time of the
signature. Changing the text means a new version; earlier signatures keep theirs.
"""

VERSION = "2026-11"

TITLE = "Contrat d’engagement et de confidentialité"

CLAUSES = [
    # The agent's commitments.
    "Je participe à l’ensemble des séances collectives et des entretiens individuels de mon "
    "bilan de parcours professionnel, sur mon temps de service : j’y suis en mission, sans "
    "incidence sur ma rémunération. Je préviens l’animateur de toute absence.",
    "Comme l’animateur, je suis tenu(e) au secret professionnel : je ne révèle aucune "
    "information à caractère secret sur les autres participants (noms, adresses physiques ou "
    "électroniques, numéros de téléphone, dates de naissance, récit d’une expérience "
    "personnelle ou tout autre élément de leur vie privée).",
    "Comme l’animateur, je suis tenu(e) à la discrétion professionnelle : je ne divulgue "
    "aucune information ni aucun document dont j’ai eu connaissance pendant le bilan ; rien "
    "ne sort du groupe.",
    "Je respecte la liste de ce que le groupe a décidé de tenir pour confidentiel.",
    # The leader's commitments.
    "L’animateur (conseiller mobilité-carrière ou autre professionnel formé) s’engage à "
    "présenter le déroulement du bilan, ses phases et ses livrables, à m’accompagner dans "
    "chacune d’elles et dans la rédaction de mon document de synthèse, dans un lieu adapté et "
    "un cadre qui garantissent la confidentialité des échanges ; il est tenu au secret et à "
    "la discrétion professionnels.",
    "Mon document de synthèse m’appartient : il n’est communiqué à ma hiérarchie ou au "
    "service RH qu’avec mon accord, et il est détruit à ma demande, partout.",
    "Je peux quitter la promotion à tout moment : quitter la promotion retire ma demande de "
    "bilan, et ma place est proposée à un autre agent.",
]
