"""
The commitment and confidentiality contract each agent signs in phase 1.

The text is versioned: an agent signs one version, recorded with the time of the
signature. Changing the text means a new version; earlier signatures keep theirs.
"""

VERSION = "2026-01"

TITLE = "Contrat d’engagement et de confidentialité"

CLAUSES = [
    "Je participe à l’ensemble des séances collectives et des entretiens individuels de mon "
    "bilan de parcours professionnel, sur mon temps de travail, et je préviens l’animateur "
    "de toute absence.",
    "Je m’engage à préserver la confidentialité de ce que les autres participants disent "
    "d’eux-mêmes, de leur parcours et de leurs collègues : rien ne sort du groupe.",
    "Je respecte la liste de ce que le groupe a décidé de tenir pour confidentiel.",
    "Je sais que l’animateur est tenu au secret professionnel et que mon document de "
    "synthèse m’appartient : il n’est communiqué à ma hiérarchie ou au service RH qu’avec "
    "mon accord.",
    "Je peux quitter la promotion à tout moment ; ma place est alors proposée à un autre agent.",
]
