"""Checking a Bundle against the FHIR R4 models of `fhir.resources` before it leaves.

The library's R4B models (FHIR 4.3.0, the technical correction of R4: every resource the export
uses is as in R4.0.1) check each element's cardinality, type and format, and each resource
inside the Bundle by its `resourceType`. The library is pure (pydantic models, no I/O), so the
check lives beside the mapping and the domain stays free of the layers above it.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import __fhir_version__
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

FHIR_VERSION = __fhir_version__


def bundle_problems(bundle: dict[str, Any]) -> list[str]:
    """What is wrong with the Bundle, one line per problem; empty when it validates."""
    try:
        Bundle.model_validate(bundle)
    except ValidationError as error:
        return [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
    return []
