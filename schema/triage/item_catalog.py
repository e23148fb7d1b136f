"""The item codes the desk is told must be the clinic's: each one a code of its price list.

The shape check (`domain.triage.bounds`) keeps a name, an address, a phone number or a sentence
out of an item code, but not one word made of them ("anna-kowalska-600100200"), which would
travel in the desk's Temporal payloads and stay in its history. So a code is also looked up in
the clinic's price list, its catalogue of what it offers with a code for each item (the catalogue
of products and procedures, `catalog`, names its items by ids and words, not codes), as the desk
matches codes (trimmed, lower-cased) and in any version of the list: a code once listed stays
the clinic's, so a request the desk took is never refused on retry by this check. A request the
desk took before codes were looked up (a release without this check) names a code the list may
never have had: its retry is answered as the first time, not refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store.billing_reads import price_list_codes
from domain.triage.bounds import item_codes

UNKNOWN_CODE = "not an item code of this clinic's price list"


async def unknown_code(
    field: str, codes: Sequence[str] | None, clinic_id: str
) -> FieldProblem | None:
    """A problem on `field` when one of `codes` (as the desk matches them) is not the clinic's.
    Asked after the shape check, so the lookup only ever sees codes of the right shape."""
    if not codes:
        return None
    known = set(item_codes(await price_list_codes(clinic_id)))
    if any(code not in known for code in codes):
        return FieldProblem(field, UNKNOWN_CODE, Code.UNKNOWN_VALUE)
    return None
