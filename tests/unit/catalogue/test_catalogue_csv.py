"""CSV reading and number parsing for catalogue imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.catalogue.core import CsvFormatError, parse_decimal, read_csv


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        (" 1 234,5 ", "1234.5"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("0", "0"),
    ],
)
def test_numbers_as_people_type_them(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "", "1,2,3x", "inf", "NaN"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_decimal(text)


def test_bom_semicolons_quotes_and_row_numbers():
    data = '\ufeffSKU;Name\n"A;1";"Kohv ""Õun"""\n\nB;Чай\n'.encode()
    table = read_csv(data, required=("sku", "name"), optional=())
    assert table.rows == [
        (2, {"sku": "A;1", "name": 'Kohv "Õun"'}),
        (4, {"sku": "B", "name": "Чай"}),
    ]


def test_header_problems_name_the_columns():
    with pytest.raises(CsvFormatError, match="missing: price"):
        read_csv(b"sku,cost\nA,1\n", required=("sku", "price"), optional=())
    with pytest.raises(CsvFormatError, match="unknown columns: colour"):
        read_csv(b"sku,price,colour\n", required=("sku", "price"), optional=())
    with pytest.raises(CsvFormatError, match="not UTF-8"):
        read_csv("sku,price\nä,1\n".encode("latin-1"), required=("sku",), optional=("price",))


def test_rows_with_too_many_values_are_reported():
    table = read_csv(b"sku,price\nA,1,2\nB,3\n", required=("sku", "price"), optional=())
    assert table.errors[0]["row"] == 2 and [n for n, _ in table.rows] == [3]


def test_formula_like_text_cells_and_control_characters_are_row_errors():
    data = b"sku,name,tax_rate\nA,=1+1,22\nB,Fine,-5\nC,@cmd,\nD,x\x00y,\n"
    table = read_csv(data, required=("sku", "name"), optional=("tax_rate",), text_columns=("name",))
    assert [r["sku"] for _, r in table.rows] == ["B"]  # a signed number is not a formula
    assert [(e["row"], e["column"]) for e in table.errors] == [
        (2, "name"),
        (4, "name"),
        (5, "name"),
    ]


def test_rows_and_cells_are_bounded():
    rows = b"".join(b"S-%d,N\n" % i for i in range(6))
    with pytest.raises(CsvFormatError, match="more than 5 rows"):
        read_csv(b"sku,name\n" + rows, required=("sku", "name"), optional=(), max_rows=5)
    table = read_csv(b"sku,name\nA,abcdef\n", required=("sku", "name"), optional=(), max_cell=5)
    assert table.rows == [] and table.errors[0]["column"] == "name"
