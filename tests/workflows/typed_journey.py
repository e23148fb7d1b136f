"""A surgical journey that follows a procedure type: the demo eyelid surgery published for the
test clinic, named by the approved plan as the GraphQL layer names it (version id and offsets)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.journey.facts import ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.photos import Photo
from domain.store.procedures import ProcedureTypeVersion
from schema.procedures.publish import publish_version
from server.procedure_seeds import BLEPHAROPLASTY
from tests.support import path

SURGERY = BLEPHAROPLASTY


async def surgery_version(clinic_id: str = "clinic-1") -> ProcedureTypeVersion:
    version = await publish_version(
        f"test-{uuid.uuid4()}", clinic_id, "supervisor-1", "blepharoplasty", SURGERY
    )
    assert version is not None
    return version


def typed_path(version_id: str) -> list[tuple[ActionRequest, Stage]]:
    """The surgical path (with anesthesia) whose approved plan names the version."""
    steps = path(anesthesia=True)
    for step, _ in steps:
        if step.action is Action.APPROVE_PLAN:
            step.details.procedure_type_version_id = version_id
            step.details.follow_up_offsets = SURGERY.follow_up_offsets()
    return steps


async def photo_taken(journey_id: str, stage: str, client_id: str = "client-1") -> None:
    """A photo row as `uploadPhoto` writes it (the bytes are not needed here)."""
    photo_id = str(uuid.uuid4())
    await Photo.create(
        id=photo_id,
        clinic_id="clinic-1",
        client_id=client_id,
        journey_id=journey_id,
        stage=stage,
        body_area="eyelids",
        content_type="image/jpeg",
        size_bytes=1,
        sha256="0" * 64,
        storage_key=photo_id,
        taken_by="nurse-1",
        taken_by_role="NURSE",
        uploaded_at=datetime.now(UTC),
    )
