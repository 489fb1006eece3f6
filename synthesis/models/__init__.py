from synthesis.models.keys import SynthesisKey
from synthesis.models.schemes import Scheme
from synthesis.models.sharing import AccessRecord, Audience, Basis, Consent, grant, revoke
from synthesis.models.synthesis import (
    Capacity,
    Comment,
    ConflictError,
    Signature,
    Status,
    Synthesis,
    SynthesisError,
    SynthesisEvent,
    SynthesisTransition,
    SynthesisVersion,
    empty_content,
    header_for,
)

__all__ = [
    "AccessRecord",
    "Audience",
    "Basis",
    "Capacity",
    "Comment",
    "ConflictError",
    "Consent",
    "Scheme",
    "Signature",
    "Status",
    "Synthesis",
    "SynthesisError",
    "SynthesisEvent",
    "SynthesisKey",
    "SynthesisTransition",
    "SynthesisVersion",
    "empty_content",
    "grant",
    "header_for",
    "revoke",
]
