"""The clinic's catalogue of products and procedures: the `catalog` query and `setCatalogItem`."""
