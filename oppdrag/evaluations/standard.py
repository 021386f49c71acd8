"""The built-in standard event evaluation, as data.

The data migration installs it; every centre can use it as it is or build its own
questionnaire on it, and the ``standard_key`` of each question makes answers
comparable across events, years and centres. The texts are Norwegian because they
are the questionnaire's content, stored in the database like any centre's own.
"""

from __future__ import annotations

from typing import Any

STANDARD_KEY = "standard-arrangement"
STANDARD_NAME = "Standard evaluering av arrangement"
STANDARD_INTRO = (
    "Svarene er anonyme og brukes til å gjøre arrangementene bedre. Det tar om lag ett minutt."
)

# The scale questions whose means the key figures and the report show.
SCALE_KEYS = ("relevance", "usefulness", "quality", "recommend")

SECTIONS: list[dict[str, Any]] = [
    {
        "title": "Om arrangementet",
        "questions": [
            {
                "key": "relevance",
                "text": "Hvor relevant var arrangementet for deg?",
                "kind": "scale",
                "required": True,
                "options": ["Ikke relevant", "Lite relevant", "Noe relevant", "Relevant",
                            "Svært relevant"],
            },
            {
                "key": "usefulness",
                "text": "Hvor nyttig er det du lærte for arbeidet ditt?",
                "kind": "scale",
                "required": True,
                "options": ["Ikke nyttig", "Lite nyttig", "Noe nyttig", "Nyttig",
                            "Svært nyttig"],
            },
            {
                "key": "quality",
                "text": "Hvordan vurderer du kvaliteten på innholdet?",
                "kind": "scale",
                "required": True,
                "options": ["Svært dårlig", "Dårlig", "Middels", "God", "Svært god"],
            },
            {
                "key": "recommend",
                "text": "Vil du anbefale arrangementet til andre?",
                "kind": "scale",
                "required": True,
                "options": ["Absolutt ikke", "Neppe", "Kanskje", "Trolig", "Absolutt"],
            },
        ],
    },
    {
        "title": "Innspill",
        "questions": [
            {
                "key": "change",
                "text": "Hva bør vi endre eller gjøre bedre?",
                "kind": "text",
                "required": False,
                "options": [],
            }
        ],
    },
]  # fmt: skip


def install(
    questionnaire_model: Any, version_model: Any, section_model: Any, question_model: Any
) -> Any:
    """Create the standard questionnaire (version 1) unless it exists; models may be
    the migration's historical ones."""
    existing = questionnaire_model.objects.filter(center=None, key=STANDARD_KEY).first()
    if existing is not None:
        return existing
    questionnaire = questionnaire_model.objects.create(
        center=None, key=STANDARD_KEY, name=STANDARD_NAME, purpose="event", intro=STANDARD_INTRO
    )
    version = version_model.objects.create(questionnaire=questionnaire, number=1, frozen=True)
    position = 0
    for s_index, section in enumerate(SECTIONS):
        sec = section_model.objects.create(
            version=version, position=s_index, title=section["title"]
        )
        for q in section["questions"]:
            position += 1
            question_model.objects.create(
                version=version,
                section=sec,
                position=position,
                key=q["key"],
                standard_key=q["key"],
                text=q["text"],
                kind=q["kind"],
                required=q["required"],
                options=q["options"],
            )
    return questionnaire
