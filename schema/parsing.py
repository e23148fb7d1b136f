"""Strawberry's parse cache, with documents that do not parse left to Strawberry's own parse.

`ParserCache` parses in the parsing hook, which the subscription path enters outside its error
handling: a document that does not parse, sent over the WebSocket, escaped as an exception, the
log took an ERROR traceback for each, and the client heard only `complete`. Over HTTP the same
error reached the client. Left unparsed here, the document is parsed again by Strawberry inside
its own handling, which answers the syntax error (or the token limit) as a GraphQL error on both
paths; only documents that do not parse are parsed twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class DocumentCache(ParserCache):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None  # Strawberry parses it again and reports why not
        yield
