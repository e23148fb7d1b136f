"""Consent templates: what a version holds, its checks and its content hash.

A version's text is what the client reads and signs, in each language the clinic offers
(seed 000: informed consent; seed 001: the ИДС set, one form for every intervention). Its hash
is the SHA-256 of a canonical JSON form (keys sorted, no insignificant whitespace, UTF-8), so
anyone holding the text can recompute it and compare it with the one stored at signing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import ConsentKind
from domain.text import text_problem

# Polish, Russian, Chinese and English are required; other languages may be added.
REQUIRED_LANGUAGES = ("pl", "ru", "zh", "en")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
# The parts of an informed consent (DOMAIN.md stage 5), in the order a form shows them.
SECTIONS = (
    "title",
    "purpose",
    "expected_effect",
    "risks",
    "complications",
    "alternatives",
    "aftercare",
)
SECTION_LIMIT = 20_000
KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


@dataclass(frozen=True)
class TemplateContent:
    """One version's content; `texts` maps a language code to its sections."""

    template_key: str
    procedure_type: str
    kind: ConsentKind
    version: int
    texts: dict[str, dict[str, str]]

    def canonical(self) -> dict[str, Any]:
        return {
            "template_key": self.template_key,
            "procedure_type": self.procedure_type,
            "kind": self.kind.value,
            "version": self.version,
            "texts": self.texts,
        }


def canonical_json(value: Any) -> bytes:
    """The one byte form a value hashes as: sorted keys, compact separators, UTF-8."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def content_hash(content: TemplateContent) -> str:
    return hashlib.sha256(canonical_json(content.canonical())).hexdigest()


def check_template(
    template_key: str, procedure_type: str, texts: dict[str, dict[str, str]]
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not KEY.fullmatch(template_key):
        problems.append(
            FieldProblem(
                "templateKey", "1 to 100 of a-z, 0-9, '.', '_' or '-', lower case", Code.BAD_FORMAT
            )
        )
    if not KEY.fullmatch(procedure_type):
        problems.append(
            FieldProblem(
                "procedureType",
                "1 to 100 of a-z, 0-9, '.', '_' or '-', lower case",
                Code.BAD_FORMAT,
            )
        )
    for language in REQUIRED_LANGUAGES:
        if language not in texts:
            problems.append(
                FieldProblem("texts", f"the text in '{language}' is missing", Code.REQUIRED)
            )
    for language, sections in texts.items():
        if not LANGUAGE_CODE.fullmatch(language):
            problems.append(
                FieldProblem(
                    "texts.language", f"not a language code: {language!r}", Code.BAD_FORMAT
                )
            )
            continue
        for section in SECTIONS:
            where = f"texts.{language}.{section}"
            text = sections.get(section, "")
            problem = text_problem(where, text, required=True, limit=SECTION_LIMIT)
            if problem:
                problems.append(problem)
    return problems


def kept_problems(
    latest: TemplateContent, kind: ConsentKind, procedure_type: str
) -> list[FieldProblem]:
    """What a new version of the template whose newest version is `latest` changes of what the
    template is. A version replaces its predecessors in the signer's language (signing refuses
    them): a photo consent published as version 2 of a procedure's consent would stop clients
    signing the procedure's, though it is another consent. Its wording may change, never its
    kind or procedure type."""
    problems: list[FieldProblem] = []
    if kind is not latest.kind:
        message = (
            f"{latest.template_key} is a {latest.kind.value} consent (version {latest.version}): "
            "a new version keeps the kind; another consent is another template"
        )
        problems.append(FieldProblem("kind", message, Code.INCONSISTENT))
    if procedure_type != latest.procedure_type:
        message = (
            f"{latest.template_key} is for {latest.procedure_type} (version {latest.version}): "
            "a new version keeps the procedure type; another procedure's consent is another "
            "template"
        )
        problems.append(FieldProblem("procedureType", message, Code.INCONSISTENT))
    return problems
