"""W3C Design Tokens (DTCG) files: the colour and font-family tokens a palette or typeface rule uses.

    {"brand": {"$type": "color",
               "green": {"$value": "#1E7B3C"},
               "primary": {"$value": "{brand.green}"}},
     "font": {"body": {"$type": "fontFamily", "$value": ["Arial", "sans-serif"]}}}

Groups nest; a group's `$type` applies to the tokens inside it; `$value` may be an alias
"{group.token}" (resolved, cycles refused). Colour values are hex strings, `rgb()`/`cmyk()`
strings, or the 2025 object form {"colorSpace": "srgb", "components": [...], "hex": ...}.
`$extensions` may carry print values: {"cmyk": [c, m, y, k], "spot": "PANTONE 356 C"} under any
vendor key. Problems raise TokenError with the token path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profilecheck.core.colour import Swatch, cmyk_colour, parse_colour, rgb_colour
from profilecheck.core.model import Colour

MAX_TOKEN_FILE = 4 * 1024 * 1024
MAX_ALIAS_DEPTH = 32
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


class TokenError(ValueError):
    pass


@dataclass
class Tokens:
    colours: list[Swatch] = field(default_factory=list)
    font_families: dict[str, list[str]] = field(default_factory=dict)

    @property
    def families(self) -> list[str]:
        """Every named family, generic CSS families left out, in file order without repeats."""
        names = (f for fams in self.font_families.values() for f in fams)
        return list(dict.fromkeys(n for n in names if n.lower() not in GENERIC_FAMILIES))


def load_tokens(path: Path) -> Tokens:
    import json  # only for a profile with a tokens file

    try:
        if path.stat().st_size > MAX_TOKEN_FILE:
            raise TokenError(f"{path.name}: larger than {MAX_TOKEN_FILE // 1024} KiB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TokenError(f"{path.name}: {error}")
    return parse_tokens(data)


def parse_tokens(data: Any) -> Tokens:
    if not isinstance(data, dict):
        raise TokenError("a token file is a JSON object")
    flat: dict[str, tuple[str | None, dict]] = {}
    _flatten(data, "", None, flat)
    tokens = Tokens()
    for path, (kind, token) in flat.items():
        value = _resolve(path, flat)
        if kind == "color":
            tokens.colours.append(_swatch(path, value, token))
        elif kind == "fontFamily":
            tokens.font_families[path] = _families(path, value)
    return tokens


def _flatten(group: dict, prefix: str, kind: str | None, out: dict) -> None:
    kind = group.get("$type", kind)
    for key, value in group.items():
        if key.startswith("$") or not isinstance(value, dict):
            continue
        path = f"{prefix}.{key}" if prefix else key
        if "$value" in value:
            out[path] = (value.get("$type", kind), value)
        else:
            _flatten(value, path, kind, out)


def _resolve(path: str, flat: dict[str, tuple[str | None, dict]]) -> Any:
    seen = [path]
    value = flat[path][1]["$value"]
    while isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        target = value[1:-1]
        if target not in flat:
            raise TokenError(f"{path}: alias {value} names no token")
        if target in seen or len(seen) > MAX_ALIAS_DEPTH:
            raise TokenError(f"{path}: alias loop through {' → '.join(seen)}")
        seen.append(target)
        value = flat[target][1]["$value"]
    return value


def _swatch(path: str, value: Any, token: dict) -> Swatch:
    try:
        rgb = _colour_value(value)
    except (ValueError, TypeError) as error:
        raise TokenError(f"{path}: {error}")
    cmyk, spot = _print_values(path, token.get("$extensions"))
    return Swatch(name=path.rsplit(".", 1)[-1], rgb=rgb, cmyk=cmyk, spot=spot)


def _colour_value(value: Any) -> Colour:
    if isinstance(value, str):
        return parse_colour(value)
    if isinstance(value, dict):
        if isinstance(value.get("hex"), str):
            return parse_colour(value["hex"])
        if value.get("colorSpace") == "srgb" and isinstance(value.get("components"), list):
            return rgb_colour([float(c) * 255 for c in value["components"]])
    raise ValueError(f"unsupported colour value {value!r}")


def _print_values(path: str, extensions: Any) -> tuple[Colour | None, str | None]:
    if not isinstance(extensions, dict):
        return None, None
    cmyk, spot = None, None
    for vendor in extensions.values():
        if not isinstance(vendor, dict):
            continue
        if isinstance(vendor.get("cmyk"), list):
            try:
                cmyk = cmyk_colour([float(v) for v in vendor["cmyk"]])
            except (ValueError, TypeError) as error:
                raise TokenError(f"{path}: cmyk {error}")
        if isinstance(vendor.get("spot"), str):
            spot = vendor["spot"]
    return cmyk, spot


def _families(path: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TokenError(f"{path}: a fontFamily is a name or a list of names")
