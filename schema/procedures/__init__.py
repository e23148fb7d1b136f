"""Procedure types, the pre-treatment checklist, products by lot, and the aftercare leaflet."""
