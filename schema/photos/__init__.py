"""Photos by purpose: upload, consent per purpose, listing and signed links."""
