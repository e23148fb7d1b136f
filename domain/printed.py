"""A page the clinic prints for the client: a title, a line under it, a dated line, sections.

The aftercare leaflet and the written consultation record are composed as one (in
`domain.procedures.leaflet` and `domain.journey.consultation_copy`) and set by one renderer,
as HTML and PDF, in any of the clinic's four languages (`schema.printed_render`).
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintedPage:
    language: str
    title: str
    # The line under the title: the procedure, or the clinic and the consultant.
    subtitle: str
    # "Date of treatment: 2026-03-01", or empty when there is no date to give.
    dated: str
    # (heading, text), in reading order; a text may hold line breaks.
    sections: list[tuple[str, str]]
