"""Consent templates (versioned, multilingual, hashed) and the signed documents."""
