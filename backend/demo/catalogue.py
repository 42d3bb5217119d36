"""The demo catalogue: food, drinks and household goods with EAN-13 barcodes and prices."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

# (category, tax rate, unit, base names, variants, price range in euros)
_FAMILIES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[int, int]], ...] = (
    (
        "Drinks",
        "22",
        "pcs",
        (
            "Mineral water",
            "Sparkling water",
            "Apple juice",
            "Orange juice",
            "Cola",
            "Lemonade",
            "Kvass",
            "Iced tea",
        ),
        ("0.5 l", "1.5 l", "0.33 l can", "1 l glass"),
        (49, 289),
    ),
    (
        "Dairy",
        "22",
        "pcs",
        ("Milk 2.5%", "Kefir", "Sour cream", "Curd snack", "Butter", "Yoghurt"),
        ("strawberry", "plain", "vanilla"),
        (69, 349),
    ),
    (
        "Bakery",
        "22",
        "pcs",
        ("Rye bread", "Sepik", "Baguette", "Cinnamon bun", "Croissant"),
        ("400 g", "sliced", "6-pack", "whole grain"),
        (79, 399),
    ),
    (
        "Snacks",
        "22",
        "pcs",
        ("Potato chips", "Salted peanuts", "Rye crisps", "Popcorn", "Pretzels"),
        ("small", "large", "sour cream & onion", "paprika"),
        (99, 349),
    ),
    (
        "Confectionery",
        "22",
        "pcs",
        ("Milk chocolate", "Dark chocolate", "Kalev candy", "Marshmallow", "Wafer"),
        ("100 g", "200 g", "box", "mini"),
        (89, 699),
    ),
    (
        "Coffee & tea",
        "22",
        "pcs",
        ("Ground coffee", "Coffee beans", "Black tea", "Green tea"),
        ("250 g", "500 g", "1 kg", "pods"),
        (249, 1899),
    ),
    (
        "Canned goods",
        "22",
        "pcs",
        ("Sprats", "Green peas", "Sweet corn", "Pickled cucumbers", "Tomato paste"),
        ("small", "large", "glass jar"),
        (99, 449),
    ),
    (
        "Frozen",
        "22",
        "kg",
        ("Pelmeni", "Vareniky", "Fish fingers", "Ice cream"),
        ("classic", "family pack"),
        (199, 899),
    ),
    (
        "Household",
        "22",
        "pcs",
        ("Dish soap", "Laundry powder", "Paper towels", "Toilet paper", "Bin bags", "Sponges"),
        ("standard", "eco", "big pack", "refill"),
        (119, 1299),
    ),
    (
        "Personal care",
        "22",
        "pcs",
        ("Shampoo", "Shower gel", "Toothpaste", "Hand cream"),
        ("200 ml", "400 ml", "travel size"),
        (149, 699),
    ),
    (
        "Pharmacy",
        "9",
        "pcs",
        ("Vitamin C", "Plasters", "Throat lozenges", "Ibuprofen 200 mg", "Nasal spray"),
        ("10 pcs", "20 pcs"),
        (199, 999),
    ),
    (
        "Books & press",
        "9",
        "pcs",
        ("City map Tallinn", "Crossword weekly", "Cookbook"),
        ("et", "ru"),
        (199, 1999),
    ),
    (
        "Services",
        "0",
        "pcs",
        ("Gift card", "Bottle deposit"),
        ("10 EUR", "25 EUR", "0.10"),
        (10, 2500),
    ),
)


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    category: str
    unit: str
    tax_rate: Decimal
    barcode: str
    price: Decimal  # retail, excluding tax


def ean13(body12: str) -> str:
    """An EAN-13 with its check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def products(rng: random.Random) -> list[DemoProduct]:
    """Every family crossed with its variants: a little over 200 products."""
    out: list[DemoProduct] = []
    for category, rate, unit, names, variants, (lo, hi) in _FAMILIES:
        for name in names:
            for variant in variants:
                n = len(out) + 1
                out.append(
                    DemoProduct(
                        sku=f"DEMO-{n:04d}",
                        name=f"{name}, {variant}",
                        category=category,
                        unit=unit,
                        tax_rate=Decimal(rate),
                        barcode=ean13(f"4740000{n:05d}"),
                        price=(Decimal(rng.randint(lo, hi)) / 100).quantize(Decimal("0.01")),
                    )
                )
    return out
