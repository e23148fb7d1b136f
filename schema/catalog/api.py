"""The root fields of the catalogue and of the gate it drives, as the schema's roots take them."""

from schema.catalog.mutations import set_catalog_item
from schema.catalog.queries import catalog
from schema.journeys.contraindications import override_contraindication

__all__ = ["catalog", "override_contraindication", "set_catalog_item"]
