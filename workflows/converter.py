"""Glowpath's data converter: the SDK's JSON payloads, encoded and decoded faster.

The SDK turns a JSON payload back into a dataclass by asking `typing.get_type_hints` for the
class's field types every time it meets an instance. Every Glowpath module uses postponed
annotations, so each call compiles and evaluates every field's annotation again: on a busy
machine a round of 32 arrivals cost the desk about 500 ms of decoding, while deciding them took
under a millisecond. This converter resolves each dataclass's field types once per class and
decodes the fields as the SDK does (`value_to_type` for each field), so the payloads, the
encoding and every decoded value stay exactly what they were: clients and workers with or
without it read and write the same histories.

`value_to_type` itself is slow for the commonest fields: it finds an optional field's None by
trying the other type first and catching its TypeError, and it tells an enum from a mapping or
a model by class introspection that costs most inside the workflow sandbox. Decoding a journey
step's input (an action with its 19 optional details) took half of the step's Python in the
workflow. So each field gets a decoder chosen once from its type: a plain value of the exact
JSON type passes as it is, None passes for an optional field, an enum is built from its value,
a list element by element, a dataclass through this converter. Anything else, and any value
those decoders do not take as they are, goes to `value_to_type`, whose answer or error is then
the SDK's own.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import types
import typing
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio.client import Client
from temporalio.converter import (
    AdvancedJSONEncoder,
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
    JSONTypeConverter,
    value_to_type,
)

Decode = Callable[[Any], Any]
# Per field: its name, its decoder, and whether the constructor takes it.
_Shape = tuple[tuple[str, Decode, bool], ...]
# JSON types whose values the SDK returns as they are (`str(value)` of a str is the str).
_PLAIN = (str, int, float, bool)


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
        shape = tuple((f.name, _decoder(hints[f.name]), f.init) for f in dataclasses.fields(hint))
        _shapes[hint] = shape
    return shape


def _by_the_sdk(hint: Any) -> Decode:
    return lambda value: value_to_type(hint, value, _CUSTOM)


def _decoder(hint: Any) -> Decode:
    """How a field of type `hint` is decoded: at once where the value is plainly of that type,
    else by the SDK's `value_to_type`."""
    sdk = _by_the_sdk(hint)
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if hint in _PLAIN:
        return lambda value: value if type(value) is hint else sdk(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum) and issubclass(hint, _PLAIN):
        base = str if issubclass(hint, str) else int
        return lambda value: hint(value) if type(value) is base else sdk(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda value: _decode_dataclass(hint, value) if type(value) is dict else sdk(value)
    if origin is list and len(args) == 1:
        element = _decoder(args[0])

        def each(value: Any) -> Any:
            if type(value) is not list:
                return sdk(value)
            try:
                return [element(item) for item in value]
            except Exception:
                return sdk(value)  # the SDK's own error, naming the index

        return each
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        # Only where the other type refuses None, as the SDK finds out by trying it first.
        if _refuses_none(inner):
            some = _decoder(inner)

            def optional(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    return some(value)
                except Exception:
                    return sdk(value)  # the SDK's own error for the union

            return optional
    return sdk


def _refuses_none(hint: Any) -> bool:
    return (
        hint in _PLAIN
        or (isinstance(hint, type) and issubclass(hint, enum.Enum) and issubclass(hint, _PLAIN))
        or (isinstance(hint, type) and dataclasses.is_dataclass(hint))
        or typing.get_origin(hint) is list
    )


def _decode_dataclass(hint: type, value: dict[str, Any]) -> Any:
    given: dict[str, Any] = {}
    late: dict[str, Any] = {}
    for name, decode, init in _shape(hint):
        if name not in value:
            continue  # a missing required field fails in the constructor, as in the SDK
        try:
            converted = decode(value[name])
        except Exception as error:
            raise TypeError(f"Failed converting field {name} on dataclass {hint}") from error
        (given if init else late)[name] = converted
    decoded = hint(**given)
    for name, converted in late.items():  # init=False fields, frozen classes too
        object.__setattr__(decoded, name, converted)
    return decoded


class CachedDataclassHints(JSONTypeConverter):
    """Decodes dataclasses with their field types resolved once per class."""

    def to_typed_value(self, hint: type, value: Any) -> Any:
        if not isinstance(hint, type) or not dataclasses.is_dataclass(hint):
            return JSONTypeConverter.Unhandled
        if not isinstance(value, dict):
            raise TypeError(f"Cannot convert to dataclass {hint}, value is {type(value)} not dict")
        return _decode_dataclass(hint, value)


# Per dataclass, its fields' names (weakly keyed, as `_shapes` is).
_field_names: weakref.WeakKeyDictionary[type, tuple[str, ...]] = weakref.WeakKeyDictionary()


class ShallowDataclassEncoder(AdvancedJSONEncoder):
    """The SDK's JSON encoder, giving a dataclass to the encoder as its fields, not as a deep copy.

    The SDK's encoder hands `json` each dataclass as `dataclasses.asdict`, which deep-copies every
    value on the way; encoding the read-model change was then the biggest part of a journey
    step's Python in the workflow. A dict of the fields as they are encodes to the same bytes:
    `json` comes back here for each nested dataclass, and handles the rest as before."""

    def default(self, o: Any) -> Any:
        kind = type(o)
        names = _field_names.get(kind)
        if names is None:
            if not dataclasses.is_dataclass(o) or isinstance(o, (type, datetime)):
                return super().default(o)
            names = tuple(f.name for f in dataclasses.fields(o))
            _field_names[kind] = names
        return {name: getattr(o, name) for name in names}


# The converter holds no state: one instance serves the decoders' calls to the SDK.
_CUSTOM: list[JSONTypeConverter] = [CachedDataclassHints()]


class GlowpathPayloadConverter(CompositePayloadConverter):
    """The SDK's default converters, the JSON one encoding shallow and decoding through the
    decoders chosen per field."""

    def __init__(self) -> None:
        fast_json = JSONPlainPayloadConverter(
            encoder=ShallowDataclassEncoder, custom_type_converters=[CachedDataclassHints()]
        )
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
