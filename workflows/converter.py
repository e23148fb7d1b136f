"""Glowpath's data converter: the SDK's JSON payloads, decoded into dataclasses faster.

The SDK turns a JSON payload back into a dataclass by asking `typing.get_type_hints` for the
class's field types every time it meets an instance. Every Glowpath module uses postponed
annotations, so each call compiles and evaluates every field's annotation again: on a busy
machine a round of 32 arrivals cost the desk about 500 ms of decoding, while deciding them took
under a millisecond. This converter resolves each dataclass's field types once per class and
decodes the fields as the SDK does (`value_to_type` for each field), so the payloads, the
encoding and every decoded value stay exactly what they were: clients and workers with or
without it read and write the same histories.
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
import weakref
from typing import Any

from temporalio.client import Client
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    JSONTypeConverter,
    value_to_type,
)

# Per field: its name, its resolved type, and whether the constructor takes it.
_Shape = tuple[tuple[str, Any, bool], ...]


# Shared by every converter instance: the worker makes one per workflow run. Weakly keyed: under
# the default sandbox (the tests' workers) the workflow modules are loaded afresh for each run,
# so their dataclasses are defined anew each time and must not be kept alive here. A race of two
# threads resolves one twice.
_shapes: weakref.WeakKeyDictionary[type, _Shape] = weakref.WeakKeyDictionary()


def _shape(hint: type) -> _Shape:
    shape = _shapes.get(hint)
    if shape is None:
        # The module's own namespace, imported if need be: inside the workflow sandbox a module
        # passed through is not in `sys.modules` until imported there, and `get_type_hints`
        # would then resolve the field types against nothing.
        module = importlib.import_module(hint.__module__)
        hints = typing.get_type_hints(hint, globalns=vars(module))
        shape = tuple((f.name, hints[f.name], f.init) for f in dataclasses.fields(hint))
        _shapes[hint] = shape
    return shape


class CachedDataclassHints(JSONTypeConverter):
    """Decodes dataclasses with their field types resolved once per class."""

    def to_typed_value(self, hint: type, value: Any) -> Any:
        if not isinstance(hint, type) or not dataclasses.is_dataclass(hint):
            return JSONTypeConverter.Unhandled
        if not isinstance(value, dict):
            raise TypeError(f"Cannot convert to dataclass {hint}, value is {type(value)} not dict")
        given: dict[str, Any] = {}
        late: dict[str, Any] = {}
        for name, field_hint, init in _shape(hint):
            if name not in value:
                continue  # a missing required field fails in the constructor, as in the SDK
            try:
                converted = value_to_type(field_hint, value[name], [self])
            except Exception as error:
                raise TypeError(f"Failed converting field {name} on dataclass {hint}") from error
            (given if init else late)[name] = converted
        decoded = hint(**given)
        for name, converted in late.items():  # init=False fields, frozen classes too
            object.__setattr__(decoded, name, converted)
        return decoded


class GlowpathPayloadConverter(CompositePayloadConverter):
    """The SDK's default converters, with the JSON one decoding through the cached hints."""

    def __init__(self) -> None:
        fast_json = JSONPlainPayloadConverter(custom_type_converters=[CachedDataclassHints()])
        super().__init__(
            *(
                fast_json if isinstance(c, JSONPlainPayloadConverter) else c
                for c in DefaultPayloadConverter.default_encoding_payload_converters
            )
        )


DATA_CONVERTER = dataclasses.replace(
    DataConverter.default, payload_converter_class=GlowpathPayloadConverter
)


def with_glowpath_converter(client: Client) -> Client:
    """`client`, or a client on the same connection that decodes with `DATA_CONVERTER`."""
    config = client.config()
    if config["data_converter"].payload_converter_class is GlowpathPayloadConverter:
        return client
    config["data_converter"] = dataclasses.replace(
        config["data_converter"], payload_converter_class=GlowpathPayloadConverter
    )
    return Client(**config)
