import pytest

from seamline.tools.matching import is_about_product, product_tokens


@pytest.mark.parametrize(
    ("product", "title", "expected"),
    [
        ("Nike Men Town Navy Blue T-Shirts", "Nike Men Town Navy Blue T-Shirts", True),
        (
            "Nike Men Town Navy Blue T-Shirts",
            "Buy Nike Men Town Navy Blue T-Shirts - Tshirts for Men | Myntra",
            True,
        ),
        ("Nike Men Town Navy Blue T-Shirts", "nike men town navy blue t shirt", True),
        ("Nike Men Town Navy Blue T-Shirts", "Nike Men Navy Blue T-Shirts", False),
        ("Nike Men Navy Blue T-Shirts", "Nike Men Town Navy Blue T-Shirts", False),
        ("Nike Men Navy Blue T-Shirts", "Puma Men Navy Blue T-Shirts", False),
        ("Nike Men Navy Blue T-Shirts", "Nike Men Navy Blue Shorts", False),
        ("Men's Grey Hoodie", "Mens Gray Hoodie | Shop online", True),
        ("", "anything", False),
    ],
)
def test_is_about_product(product: str, title: str, expected: bool) -> None:
    assert is_about_product(product, title) is expected


def test_name_line_in_text_counts_when_title_differs() -> None:
    text = "Name: Nike Men Town Navy Blue T-Shirts\nBrand: Nike\nColour: Navy Blue"
    assert is_about_product("Nike Men Town Navy Blue T-Shirts", "catalog record 15970", text)
    assert not is_about_product("Nike Men Navy Blue T-Shirts", "catalog record 15970", text)


def test_tokens_fold_spellings_and_plurals() -> None:
    assert product_tokens("Tees") == product_tokens("T-Shirt") == {"tshirt"}
    assert product_tokens("Buy Jeans online") == {"jean"}
