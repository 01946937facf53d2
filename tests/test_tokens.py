"""Design Tokens (DTCG) files: colours, font families, nested groups, aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profilecheck.checks.palette import PaletteRule
from profilecheck.profile.params import parse_params
from profilecheck.profile.rule import Rule
from profilecheck.profile.tokens import TokenError, load_tokens, parse_tokens

ALE_TOKENS = Path(__file__).resolve().parents[1] / "fixtures" / "tokens" / "ale-tokens.json"


def test_ale_tokens_file() -> None:
    tokens = load_tokens(ALE_TOKENS)
    by_name = {s.name: s for s in tokens.colours}
    assert by_name["vapengron"].rgb.hex == "#1E7B3C"
    assert by_name["vapengron"].cmyk.components == pytest.approx((0.76, 0, 0.51, 0.52))
    assert by_name["vapenbla"].rgb.hex == "#0B5AA6"
    assert by_name["heading"].rgb.hex == "#0B5AA6"  # alias of an alias
    assert tokens.families == ["Arial", "Georgia", "Calibri"]


def test_group_type_is_inherited_and_token_type_wins() -> None:
    tokens = parse_tokens(
        {
            "c": {
                "$type": "color",
                "a": {"$value": "#FF0000"},
                "f": {"$type": "fontFamily", "$value": "Arial"},
            }
        }
    )
    assert [s.name for s in tokens.colours] == ["a"]
    assert tokens.font_families == {"c.f": ["Arial"]}


@pytest.mark.parametrize(
    "data",
    [
        {"c": {"$type": "color", "a": {"$value": "{c.b}"}, "b": {"$value": "{c.a}"}}},
        {"c": {"$type": "color", "a": {"$value": "{c.missing}"}}},
        {"c": {"$type": "color", "a": {"$value": "not a colour"}}},
        {"c": {"$type": "fontFamily", "a": {"$value": 12}}},
        [],
    ],
)
def test_bad_tokens_are_refused(data: object) -> None:
    with pytest.raises(TokenError):
        parse_tokens(data)


def test_palette_rule_takes_colours_from_tokens(tmp_path: Path) -> None:
    (tmp_path / "tokens.json").write_text(ALE_TOKENS.read_text())
    params, problems = parse_params(PaletteRule.Params, {"tokens": "tokens.json"})
    assert not problems
    rule = Rule(id="palette", type="palette", source=tmp_path / "palette.toml", profile="t")
    assert PaletteRule.validate(params, rule) == []
    assert "vapengron" in [s.name for s in PaletteRule(rule, params).swatches]


def test_broken_token_file_is_a_validation_problem(tmp_path: Path) -> None:
    (tmp_path / "tokens.json").write_text(
        json.dumps({"c": {"$type": "color", "x": {"$value": "#1"}}})
    )
    params, _ = parse_params(PaletteRule.Params, {"tokens": "tokens.json"})
    rule = Rule(id="palette", type="palette", source=tmp_path / "palette.toml", profile="t")
    assert [p.key for p in PaletteRule.validate(params, rule)] == ["params.tokens"]
