"""The read model and the client records, in Tortoise ORM. Workflow modules never import this."""
