"""
A version of the synthesis laid out as the model of Annexe 2, for the page and the PDF.

Section 2.5 is included only for those who may read it: a copy for anyone else
never holds it, not even hidden.
"""

import datetime
from dataclasses import dataclass, field

from synthesis.models import Orientation, Signature, Synthesis, SynthesisVersion
from synthesis.sections import PARTS, PERSONAL_SITUATION, Group, Section


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@dataclass
class FilledSection:
    section: Section
    text: str


@dataclass
class FilledGroup:
    group: Group
    sections: list[FilledSection]


@dataclass
class Action:
    number: int
    title: str
    duration: str
    due_on: datetime.date | None
    steps: list[str]


@dataclass
class FilledPart:
    number: int
    title: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    groups: list[FilledGroup] = field(default_factory=list)


@dataclass
class Document:
    synthesis: Synthesis
    version: SynthesisVersion | None
    header: dict
    parts: list[FilledPart]
    personal_situation: str | None  # None: left out of this copy
    actions: list[Action]
    schemes: list[str]
    schemes_other: str
    orientation: str  # its label (4.2), empty until chosen
    signatures: list[Signature]


def _orientation_label(value: str) -> str:
    return Orientation(value).label if value in Orientation.values else ""


def build(
    synthesis: Synthesis,
    version: SynthesisVersion | None,
    *,
    header: dict,
    with_personal_situation: bool,
    signatures: list[Signature] | None = None,
) -> Document:
    """Lay `version` out (None: the empty synthesis, with the live `header`)."""
    content = version.content if version else {}
    header = content.get("header", header)
    texts = content.get("sections", {})
    phases = header.get("phases", {})
    parts = []
    for part in PARTS:
        dates = phases.get(str(part.number), ["", ""])
        parts.append(
            FilledPart(
                part.number,
                part.title,
                _date(dates[0]),
                _date(dates[1]),
                [
                    FilledGroup(
                        group, [FilledSection(s, texts.get(s.key, "")) for s in group.sections]
                    )
                    for group in part.groups
                ],
            )
        )
    personal = None
    if with_personal_situation:
        personal = version.personal_situation if version else ""
    return Document(
        synthesis=synthesis,
        version=version,
        header={
            **header,
            "post_start_date": _date(header.get("post_start_date", "")),
            "launch_date": _date(header.get("launch_date", "")),
            "initial_interview": _date(header.get("initial_interview", "")),
            "final_interview": _date(header.get("final_interview", "")),
            "contract_signed_on": _date(header.get("contract_signed_on", "")),
            "analysis_sessions": [_date(d) for d in header.get("analysis_sessions", [])],
        },
        parts=parts,
        personal_situation=personal,
        actions=[
            Action(
                number,
                a.get("title", ""),
                a.get("duration", ""),
                _date(a.get("due_on", "")),
                a.get("steps", []),
            )
            for number, a in enumerate(content.get("actions", []), start=1)
        ],
        schemes=content.get("schemes", []),
        schemes_other=content.get("schemes_other", ""),
        orientation=_orientation_label(content.get("orientation", "")),
        signatures=signatures or [],
    )


@dataclass
class OutlineEntry:
    """A section in the table of contents: empty, or started (something is written)."""

    key: str
    number: str
    title: str
    started: bool


@dataclass
class OutlinePart:
    number: int
    title: str
    entries: list[OutlineEntry]


def outline(content: dict, personal_situation: str | None) -> list[OutlinePart]:
    """The table of contents of the model, each section empty or started.

    `content` as SynthesisVersion.content; 2.5 only when `personal_situation` is not
    None (a copy without it does not name it either way).
    """
    texts = content.get("sections", {})
    parts = []
    for part in PARTS:
        entries = [
            OutlineEntry(s.key, s.number, s.title, bool(texts.get(s.key, "").strip()))
            for group in part.groups
            for s in group.sections
        ]
        if part.number == 2 and personal_situation is not None:
            entries.append(
                OutlineEntry(
                    PERSONAL_SITUATION.key,
                    PERSONAL_SITUATION.number,
                    PERSONAL_SITUATION.title,
                    bool(personal_situation.strip()),
                )
            )
        if part.number == 3:
            entries += [
                OutlineEntry("action_plan", "3.1", "Plan d’action", bool(content.get("actions"))),
                OutlineEntry(
                    "schemes",
                    "3.1.3",
                    "Outils méthodologiques et dispositifs utilisés",
                    bool(content.get("schemes") or content.get("schemes_other", "").strip()),
                ),
            ]
        if part.number == 4:
            entries.append(
                OutlineEntry(
                    "orientation",
                    "4.2",
                    "Orientation retenue",
                    content.get("orientation", "") in Orientation.values,
                )
            )
        parts.append(OutlinePart(part.number, part.title, entries))
    return parts


def empty_sections(parts: list[OutlinePart]) -> list[OutlineEntry]:
    return [entry for part in parts for entry in part.entries if not entry.started]
