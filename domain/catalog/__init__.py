"""The clinic's catalogue of products and procedures, and what rules each one out."""
