"""What a ``.keras`` file's config declares: the weights its layers would allocate, counted without
building anything.

Keras builds every layer of a config as it loads it (``build_config`` records the input shape each
was built for) and allocates its weights before it reads a single one from the file, so a 19 KB
file declaring an ``Embedding`` of 10⁶ x 500 costs 2 GB before any check of Keras' own. Here each
layer class that holds weights has its formula, from its config and its recorded input shape(s);
a layer of a class known to hold none (activations, pooling, reshaping, merging, dropout, the
models themselves, operations such as ``keras.ops.multiply``) counts 0. A layer of any other class
cannot be sized before it is built, and is refused: Keras finds a class by its ``class_name`` in
any ``keras`` module (``keras.src.layers...BaseConv`` included), so every name of a Keras layer
class is checked, wherever in the config it stands.
"""
from __future__ import annotations

import functools
import math
import re
from typing import Any, Callable


class Unsized(ValueError):
    """A layer whose weights cannot be counted from the config; the message ends a sentence."""


_INF = 10**30  # what an infinite or NaN size counts as: more than any limit


def _size(value: Any) -> int:
    """A size as Keras would take it, never underestimated: a whole number (its magnitude), a float
    rounded up; nothing usable (None, text) as 1, since Keras could not build with it."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return abs(value)
    if isinstance(value, float):
        return math.ceil(abs(value)) if math.isfinite(value) else _INF
    return 1


def _product(values) -> int:
    return math.prod(_size(v) for v in values)


def _dim(shape: list, axis: Any) -> int:
    if not isinstance(axis, int) or isinstance(axis, bool):
        return 1
    try:
        return _size(shape[axis])
    except IndexError:
        return 1


def _last(shape: list) -> int:
    return _dim(shape, -1)


def _axes(c: dict, shape: list, default: Any = -1) -> int:
    """The size of the axes a normalization keeps (its weights' shape)."""
    axis = c.get("axis", default)
    if axis is None:
        return 1
    return math.prod(_dim(shape, a) for a in (axis if isinstance(axis, list) else [axis]))


def _kernel(c: dict, rank: int) -> int:
    k = c.get("kernel_size", 1)
    return _product(k) if isinstance(k, list) else _size(k) ** rank


def _channels(c: dict, shape: list, first: int = 1) -> int:
    return _dim(shape, first) if c.get("data_format") == "channels_first" else _last(shape)


def _bias(c: dict, n: int) -> int:
    return n if c.get("use_bias", True) else 0


def _lora(c: dict, a: int, b: int) -> int:
    rank = c.get("lora_rank")
    return _size(rank) * (a + b) if rank else 0


def _dense(c, s, _):
    d, u = _last(s), _size(c.get("units"))
    return d * u + _bias(c, u) + _lora(c, d, u)


def _embedding(c, s, _):
    a, b = _size(c.get("input_dim")), _size(c.get("output_dim"))
    return a * b + _lora(c, a, b)


def _reversible_embedding(c, s, _):
    a, b = _size(c.get("input_dim")), _size(c.get("output_dim"))
    return a * b * (1 if c.get("tie_weights", True) else 2) + a


def _conv(rank: int, transpose: bool = False):
    def count(c, s, _):
        f, ch = _size(c.get("filters")), _channels(c, s)
        groups = 1 if transpose else max(1, _size(c.get("groups", 1)))
        return _kernel(c, rank) * -(-ch // groups) * f + _bias(c, f)
    return count


def _separable(rank: int):
    def count(c, s, _):
        f, ch, m = _size(c.get("filters")), _channels(c, s), _size(c.get("depth_multiplier", 1))
        return _kernel(c, rank) * ch * m + ch * m * f + _bias(c, f)
    return count


def _depthwise(rank: int):
    def count(c, s, _):
        ch, m = _channels(c, s), _size(c.get("depth_multiplier", 1))
        return _kernel(c, rank) * ch * m + _bias(c, ch * m)
    return count


def _recurrent(gates: int, extra_bias: int = 0):
    def count(c, s, _):
        u, d = _size(c.get("units")), _last(s)
        bias = gates * u * (2 if extra_bias and c.get("reset_after", True) else 1)
        return gates * u * (d + u) + _bias(c, bias)
    return count


def _conv_lstm(rank: int):
    def count(c, s, _):
        f, ch = _size(c.get("filters")), _channels(c, s, first=2)
        return 4 * f * _kernel(c, rank) * (ch + f) + _bias(c, 4 * f)
    return count


def _shape_of(shapes: dict, *names: str) -> list:
    for name in names:
        if isinstance(shapes.get(name), list):
            return shapes[name]
    return []


def _multi_head_attention(c, s, shapes):
    q = _last(_shape_of(shapes, "query_shape", "input_shape") or s)
    v = _last(_shape_of(shapes, "value_shape") or s)
    k = _last(_shape_of(shapes, "key_shape", "value_shape") or s)
    heads, key_dim = _size(c.get("num_heads")), _size(c.get("key_dim"))
    value_dim = _size(c.get("value_dim") or c.get("key_dim"))
    out = c.get("output_shape")
    out = q if out is None else (_product(out) if isinstance(out, list) else _size(out))
    weights = heads * (key_dim * (q + k) + value_dim * (v + out))
    return weights + _bias(c, heads * (2 * key_dim + value_dim) + out)


def _grouped_query_attention(c, s, shapes):
    q = _last(_shape_of(shapes, "query_shape", "input_shape") or s)
    v = _last(_shape_of(shapes, "value_shape") or s)
    k = _last(_shape_of(shapes, "key_shape", "value_shape") or s)
    hq, hkv, hd = _size(c.get("num_query_heads")), _size(c.get("num_key_value_heads")), _size(c.get("head_dim"))
    return hq * hd * (2 * q) + hkv * hd * (k + v) + _bias(c, hq * hd + 2 * hkv * hd + q)


def _einsum_dense(c, s, _):
    """The kernel's shape from the equation: each of its letters is an input or an output axis."""
    match = re.fullmatch(r"(\.\.\.)?([a-zA-Z]*),([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]*)",
                         str(c.get("equation", "")).replace(" ", ""))
    if not match:
        raise Unsized("its equation cannot be read")
    _, given, kernel, _, produced = match.groups()
    out = c.get("output_shape")
    out = out if isinstance(out, list) else [out]
    sizes = dict(zip(reversed(produced), reversed(out)))  # output_shape leaves out the batch axis
    sizes.update(zip(reversed(given), reversed(s)))
    weights = math.prod(_size(sizes.get(letter)) for letter in kernel)
    bias = math.prod(_size(sizes.get(letter)) for letter in str(c.get("bias_axes") or ""))
    return weights + (bias if c.get("bias_axes") else 0)


_FORMULAS: dict[str, Callable[[dict, list, dict], int]] = {
    "Dense": _dense, "EinsumDense": _einsum_dense,
    "Embedding": _embedding, "ReversibleEmbedding": _reversible_embedding,
    "BatchNormalization": lambda c, s, _: 4 * _axes(c, s),
    "LayerNormalization": lambda c, s, _: 2 * _axes(c, s),
    "GroupNormalization": lambda c, s, _: 2 * _axes(c, s),
    "RMSNormalization": lambda c, s, _: _axes(c, s),
    "Normalization": lambda c, s, _: 2 * _axes(c, s) + 1,
    "LayerScale": lambda c, s, _: _size(c.get("projection_dim")),
    "PReLU": lambda c, s, _: _product(s[1:]),
    "AdditiveAttention": lambda c, s, _: _last(s),
    "Attention": lambda c, s, _: 2,
    "SimpleRNN": _recurrent(1), "SimpleRNNCell": _recurrent(1),
    "LSTM": _recurrent(4), "LSTMCell": _recurrent(4),
    "GRU": _recurrent(3, extra_bias=1), "GRUCell": _recurrent(3, extra_bias=1),
    "ConvLSTM1D": _conv_lstm(1), "ConvLSTM2D": _conv_lstm(2), "ConvLSTM3D": _conv_lstm(3),
    "MultiHeadAttention": _multi_head_attention,
    "GroupedQueryAttention": _grouped_query_attention, "GroupQueryAttention": _grouped_query_attention,
}
for _rank in (1, 2, 3):
    for _name in (f"Conv{_rank}D", f"Convolution{_rank}D"):
        _FORMULAS[_name] = _conv(_rank)
        _FORMULAS[f"{_name}Transpose"] = _conv(_rank, transpose=True)
for _rank in (1, 2):
    _FORMULAS[f"SeparableConv{_rank}D"] = _FORMULAS[f"SeparableConvolution{_rank}D"] = _separable(_rank)
    _FORMULAS[f"DepthwiseConv{_rank}D"] = _depthwise(_rank)

_NO_SHAPE_NEEDED = {"Embedding", "ReversibleEmbedding", "LayerScale", "Attention"}

WEIGHTLESS = frozenset({
    # containers and wrappers (their layers are counted where they stand) and Keras' own inputs
    "Functional", "Sequential", "Model", "InputLayer", "Bidirectional", "TimeDistributed", "RNN",
    "StackedRNNCells", "SpectralNormalization", "Pipeline", "Lambda",  # (a Lambda is refused when loaded)
    # activations, dropout and noise
    "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Dropout", "AlphaDropout",
    "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "ActivityRegularization", "Identity", "Masking", "UnitNormalization", "StochasticDepth",
    # reshaping and merging
    "Flatten", "Reshape", "Permute", "RepeatVector", "Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D",
    "ZeroPadding2D", "ZeroPadding3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Add", "Subtract",
    "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    # pooling
    *(f"{kind}{rank}D" for rank in (1, 2, 3) for kind in (
        "MaxPooling", "MaxPool", "AveragePooling", "AvgPool", "GlobalMaxPooling", "GlobalMaxPool",
        "GlobalAveragePooling", "GlobalAvgPool", "AdaptiveMaxPooling", "AdaptiveAveragePooling")),
    # preprocessing (a vocabulary or bins live in the config, whose size is bounded)
    "CategoryEncoding", "Hashing", "HashedCrossing", "Discretization", "IntegerLookup", "StringLookup",
    "TextVectorization", "Rescaling", "Resizing", "CenterCrop", "AutoContrast", "Equalization", "Solarization",
    "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomCrop", "RandomContrast",
    "RandomBrightness", "RandomHeight", "RandomWidth", "RandomShear", "RandomHue", "RandomSaturation",
    "RandomSharpness", "RandomGrayscale", "RandomInvert", "RandomPosterization", "RandomColorDegeneration",
    "RandomColorJitter", "RandomErasing", "RandomGaussianBlur", "RandomPerspective", "RandomElasticTransform",
    "RandAugment", "AugMix", "CutMix", "MixUp", "MaxNumBoundingBoxes",
})

_LAYER_KEYS = {"layers", "layer", "forward_layer", "backward_layer", "cell", "cells"}


@functools.lru_cache(maxsize=1)
def keras_layer_names() -> frozenset[str]:
    """Every name a Keras layer class goes by: its subclasses of ``Layer`` and ``keras.layers``' aliases."""
    from playground.tf_quiet import import_tensorflow

    import_tensorflow()  # quietly, as the command line asks (this may be the first import of Keras)
    import keras

    found, todo = set(), [keras.layers.Layer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__name__ not in found:
                found.add(sub.__name__)
                todo.append(sub)
    found |= {n for n in dir(keras.layers) if isinstance(getattr(keras.layers, n), type)}
    return frozenset(found)


def _shapes(node: dict) -> dict:
    """The input shape(s) a layer was built for, by name (``input_shape``, or ``query_shape``, …)."""
    build = node.get("build_config")
    if not isinstance(build, dict):
        return {}
    if isinstance(build.get("input_shape"), list):
        return {"input_shape": build["input_shape"]}
    shapes = build.get("shapes_dict")
    return {k: v for k, v in shapes.items() if isinstance(v, list)} if isinstance(shapes, dict) else {}


def _first_shape(shapes: dict) -> list:
    shape = next(iter(shapes.values()), [])
    while shape and isinstance(shape[0], list):  # several inputs: the first one's
        shape = shape[0]
    return shape


def declared_weights(config: Any) -> int:
    """The weights building ``config`` (a ``.keras`` file's config.json) would allocate; raises
    :class:`Unsized` for a layer that cannot be counted before it is built."""
    names = keras_layer_names()
    total = 0
    todo: list[tuple[Any, bool]] = [(config, True)]  # (node, whether it stands where a layer does)
    while todo:  # a loop, not recursion: a config may nest as deeply as JSON allows
        node, layer_place = todo.pop()
        if isinstance(node, list):
            todo.extend((value, layer_place) for value in node)
            continue
        if not isinstance(node, dict):
            continue
        cls, inner = node.get("class_name"), node.get("config")
        if isinstance(cls, str) and isinstance(inner, dict):
            name = inner.get("name", cls)
            if cls in _FORMULAS:
                shapes = _shapes(node)
                if not shapes and cls not in _NO_SHAPE_NEEDED:
                    raise Unsized(f"its layer {str(name)[:60]!r} ({cls}) does not record the input shape it "
                                  "was built for")
                try:
                    total += _FORMULAS[cls](inner, _first_shape(shapes), shapes)
                except Unsized as exc:
                    raise Unsized(f"its layer {str(name)[:60]!r} ({cls}) cannot be sized: {exc}") from None
            elif cls not in WEIGHTLESS and (cls in names or (layer_place or "build_config" in node) and not str(
                    node.get("module", "")).startswith("keras.src.ops.")):
                raise Unsized(f"its layer {str(name)[:60]!r} is of class {cls[:60]!r}, whose size Playground "
                              "cannot tell before building it")
        for key, value in node.items():
            todo.append((value, key in _LAYER_KEYS))
    return total
