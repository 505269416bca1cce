"""Which products a group discount covers."""

import pytest

from pos_app.domain.catalog import WHOLE_ORDER, DiscountScope, Product
from pos_app.domain.errors import InvalidAmount

LATTE = Product(
    id="latte", name="Латте", price=18_000, group_id="coffee", tags=frozenset({"напитки"})
)
HOUR = Product(id="pc-hour", name="Час игры", price=25_000, group_id="gaming")
CHIPS = Product(id="chips", name="Чипсы", price=9_000, group_id="snacks", tags=frozenset({"еда"}))


def test_empty_scope_covers_the_whole_order() -> None:
    assert WHOLE_ORDER.is_whole_order
    assert all(WHOLE_ORDER.covers(p) for p in (LATTE, HOUR, CHIPS))


def test_scope_by_product_group() -> None:
    scope = DiscountScope(product_group_ids=frozenset({"coffee"}))
    assert scope.covers(LATTE)
    assert not scope.covers(HOUR)


def test_scope_by_product_id() -> None:
    scope = DiscountScope(product_ids=frozenset({"pc-hour"}))
    assert scope.covers(HOUR)
    assert not scope.covers(CHIPS)


def test_scope_by_tag() -> None:
    scope = DiscountScope(tags=frozenset({"еда"}))
    assert scope.covers(CHIPS)
    assert not scope.covers(LATTE)


def test_product_price_must_be_kopecks() -> None:
    with pytest.raises(InvalidAmount):
        Product(id="x", name="x", price=-1)


def test_a_products_tile_colour_comes_from_a_colour_tag() -> None:
    assert Product("a", "A", 100, tags=frozenset({"еда", "colour:#C2507A"})).colour == "#c2507a"
    assert Product("b", "B", 100, tags=frozenset({"color:#2f7dd1"})).colour == "#2f7dd1"
    assert Product("c", "C", 100, tags=frozenset({"colour:red; x"})).colour is None  # not CSS
    assert Product("d", "D", 100).colour is None
