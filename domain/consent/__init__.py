"""Consent you can prove: versioned templates, their content hash, drawn signatures."""
