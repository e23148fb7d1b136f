"""Procedure types: a clinic's versioned templates for treatment, checks and aftercare."""
