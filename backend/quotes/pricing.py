"""Decimal pricing of order and quote lines, the one place where money is rounded.

Pure standard-library Python so the PWA can run the very same code in Pyodide.

Rounding rules (``q`` = round to ``policy.money_places`` with ``policy.rounding``,
``half_up`` or ``half_even``; every intermediate product is exact, computed with 50 digits):

1. Per line, tax-exclusive prices (the default):
   ``gross = q(quantity * unit_price)``; ``discount_amount = q(gross * discount_pct / 100)``;
   ``net = gross - discount_amount``; ``tax_amount = q(net * tax_rate / 100)``;
   ``total = net + tax_amount``.
   Tax-inclusive prices (``prices_include_tax``): ``gross`` and ``discount_amount`` are as above
   but include tax; ``total = gross - discount_amount``; ``net = q(total * 100 / (100 + rate))``;
   ``tax_amount = total - net``.
2. Per document: ``subtotal = sum(line.net)``. Lines are grouped by tax rate into buckets.
   The document discount is ``q(D * document_discount_pct / 100)`` where ``D`` is the sum of
   line nets (tax-inclusive: of line totals). It is allocated across the buckets in proportion
   to their amounts by largest remainder (ties go to the lower rate), so the allocations add up
   to the discount exactly and none exceeds its bucket.
   Tax-exclusive: ``bucket.base = sum(nets) - allocation``; ``bucket.tax = q(base * rate / 100)``.
   Tax-inclusive: ``gross = sum(totals) - allocation``; ``bucket.base = q(gross * 100 / (100 +
   rate))``; ``bucket.tax = gross - base``.
3. Totals are sums of rounded parts and never rounded again: ``net_total = sum(bucket.base)``,
   ``tax_total = sum(bucket.tax)``, ``total = net_total + tax_total``. The document's tax is
   computed per rate, so it may differ from the sum of the lines' ``tax_amount`` (shown for
   information) by rounding; the buckets are what the customer owes.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal

Rounding = Literal["half_up", "half_even"]

_ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
}
# A fixed context so results never depend on the caller's (or Pyodide's) decimal settings.
_CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
MAX_QUANTITY_PLACES = 3
MAX_PRICE_PLACES = 6
MAX_RATE_PLACES = 4


class PricingError(ValueError):
    """Input that cannot be priced; the message names the line and the field."""

    def __init__(self, message: str, *, field: str, line_index: int | None = None) -> None:
        where = f"line {line_index + 1}: " if line_index is not None else ""
        super().__init__(f"{where}{field}: {message}")
        self.field = field
        self.line_index = line_index


@dataclass(frozen=True)
class LineInput:
    """One line as captured: what is sold, how many, at what price and tax."""

    product_id: str
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal  # before discount; excludes tax unless the policy says otherwise
    tax_rate: Decimal  # percent, e.g. Decimal("22")
    discount_pct: Decimal = Decimal("0")  # 0..100
    unit: str = "pcs"


@dataclass(frozen=True)
class PricingPolicy:
    """A company's pricing settings: currency, rounding mode and places, tax-inclusive prices."""

    currency: str = "EUR"
    rounding: Rounding = "half_up"
    money_places: int = 2
    prices_include_tax: bool = False


@dataclass(frozen=True)
class PricedLine:
    """A line with its rounded amounts (see the module docstring for the rules)."""

    product_id: str
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    discount_pct: Decimal
    unit: str
    gross: Decimal
    discount_amount: Decimal
    net: Decimal
    tax_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class TaxBucket:
    """The taxable base and tax of one tax rate, after the document discount."""

    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PricedDocument:
    """A priced order or quote: lines, document discount, tax per rate and totals."""

    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    document_discount_pct: Decimal
    document_discount_amount: Decimal
    net_total: Decimal
    tax_breakdown: tuple[TaxBucket, ...]
    tax_total: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True)
class Mismatch:
    """One figure on which a device's pricing and the server's disagree."""

    field: str
    line_index: int | None
    device: object
    server: object


def _check_decimal(
    value: object,
    field: str,
    line_index: int | None,
    *,
    places: int,
    upper: Decimal | None = None,
) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        # floats are refused outright: 0.1 is not a price.
        raise PricingError(
            f"must be a Decimal, got {type(value).__name__}", field=field, line_index=line_index
        )
    amount = Decimal(value)
    if not amount.is_finite():
        raise PricingError(
            f"must be a finite number, got {amount}", field=field, line_index=line_index
        )
    if amount < 0:
        raise PricingError(
            f"must not be negative, got {amount}", field=field, line_index=line_index
        )
    if upper is not None and amount > upper:
        raise PricingError(
            f"must be at most {upper}, got {amount}", field=field, line_index=line_index
        )
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if -exponent > places:
        raise PricingError(
            f"has more than {places} decimal places: {amount}", field=field, line_index=line_index
        )
    return amount


def _check_policy(policy: PricingPolicy) -> str:
    if policy.rounding not in _ROUNDING_MODES:
        raise PricingError(f"unknown rounding {policy.rounding!r}", field="rounding")
    if not 0 <= policy.money_places <= 6:
        raise PricingError(f"must be 0..6, got {policy.money_places}", field="money_places")
    if len(policy.currency) != 3 or not policy.currency.isascii() or not policy.currency.isupper():
        raise PricingError(f"must be an ISO 4217 code, got {policy.currency!r}", field="currency")
    return _ROUNDING_MODES[policy.rounding]


def _allocate(amount: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """Split ``amount`` (a multiple of ``unit``) over ``weights`` by largest remainder."""
    total_weight = sum(weights, _ZERO)
    if amount == 0 or total_weight == 0:
        return [_ZERO for _ in weights]
    shares = [amount * w / total_weight for w in weights]
    floors = [s.quantize(unit, rounding=decimal.ROUND_DOWN) for s in shares]
    left = int((amount - sum(floors, _ZERO)) / unit)
    # Weights arrive sorted by rate, so a stable sort gives ties to the lower rate.
    order = sorted(range(len(weights)), key=lambda i: shares[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += unit
    return floors


def _price_line(line: LineInput, index: int, policy: PricingPolicy, mode: str) -> PricedLine:
    quantity = _check_decimal(line.quantity, "quantity", index, places=MAX_QUANTITY_PLACES)
    unit_price = _check_decimal(line.unit_price, "unit_price", index, places=MAX_PRICE_PLACES)
    tax_rate = _check_decimal(
        line.tax_rate, "tax_rate", index, places=MAX_RATE_PLACES, upper=_HUNDRED
    )
    discount_pct = _check_decimal(
        line.discount_pct, "discount_pct", index, places=MAX_RATE_PLACES, upper=_HUNDRED
    )
    unit = Decimal(1).scaleb(-policy.money_places)

    def q(value: Decimal) -> Decimal:
        return value.quantize(unit, rounding=mode)

    gross = q(quantity * unit_price)
    discount_amount = q(gross * discount_pct / _HUNDRED)
    if policy.prices_include_tax:
        total = gross - discount_amount
        net = q(total * _HUNDRED / (_HUNDRED + tax_rate))
        tax_amount = total - net
    else:
        net = gross - discount_amount
        tax_amount = q(net * tax_rate / _HUNDRED)
        total = net + tax_amount
    return PricedLine(
        product_id=line.product_id,
        sku=line.sku,
        name=line.name,
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=tax_rate,
        discount_pct=discount_pct,
        unit=line.unit,
        gross=gross,
        discount_amount=discount_amount,
        net=net,
        tax_amount=tax_amount,
        total=total,
    )


def price_document(
    lines: Sequence[LineInput],
    *,
    document_discount_pct: Decimal = Decimal("0"),
    policy: PricingPolicy = PricingPolicy(),
) -> PricedDocument:
    """Price lines and a document discount under a policy, by the rules in the module docstring."""
    mode = _check_policy(policy)
    with decimal.localcontext(_CONTEXT):
        doc_pct = _check_decimal(
            document_discount_pct,
            "document_discount_pct",
            None,
            places=MAX_RATE_PLACES,
            upper=_HUNDRED,
        )
        unit = Decimal(1).scaleb(-policy.money_places)
        priced = tuple(_price_line(line, i, policy, mode) for i, line in enumerate(lines))
        rates = sorted({p.tax_rate for p in priced})
        # Tax-inclusive documents discount what the customer sees: the tax-inclusive totals.
        per_rate = [
            sum(
                (
                    p.total if policy.prices_include_tax else p.net
                    for p in priced
                    if p.tax_rate == r
                ),
                _ZERO,
            )
            for r in rates
        ]
        discount_amount = (sum(per_rate, _ZERO) * doc_pct / _HUNDRED).quantize(unit, rounding=mode)
        allocations = _allocate(discount_amount, per_rate, unit)
        buckets: list[TaxBucket] = []
        for rate, amount, allocation in zip(rates, per_rate, allocations, strict=True):
            after = amount - allocation
            if policy.prices_include_tax:
                base = (after * _HUNDRED / (_HUNDRED + rate)).quantize(unit, rounding=mode)
                tax = after - base
            else:
                base = after
                tax = (base * rate / _HUNDRED).quantize(unit, rounding=mode)
            buckets.append(TaxBucket(rate=rate, base=base, tax=tax))
        net_total = sum((b.base for b in buckets), _ZERO).quantize(unit)
        tax_total = sum((b.tax for b in buckets), _ZERO).quantize(unit)
        return PricedDocument(
            lines=priced,
            subtotal=sum((p.net for p in priced), _ZERO).quantize(unit),
            document_discount_pct=doc_pct,
            document_discount_amount=discount_amount,
            net_total=net_total,
            tax_breakdown=tuple(buckets),
            tax_total=tax_total,
            total=net_total + tax_total,
            currency=policy.currency,
        )


_DOCUMENT_FIELDS = (
    "subtotal",
    "document_discount_pct",
    "document_discount_amount",
    "net_total",
    "tax_total",
    "total",
    "currency",
)
_LINE_FIELDS = tuple(f.name for f in fields(PricedLine))
_BUCKET_FIELDS = ("rate", "base", "tax")


def document_to_dict(document: PricedDocument) -> dict[str, Any]:
    """JSON-ready form of a priced document (Decimals as strings), as a device would send it."""
    out: dict[str, Any] = {name: str(getattr(document, name)) for name in _DOCUMENT_FIELDS}
    out["lines"] = [
        {name: str(getattr(line, name)) for name in _LINE_FIELDS} for line in document.lines
    ]
    out["tax_breakdown"] = [
        {name: str(getattr(bucket, name)) for name in _BUCKET_FIELDS}
        for bucket in document.tax_breakdown
    ]
    return out


def _same(device: object, server: object) -> bool:
    # Figures are compared as numbers: "12.0" from a device equals Decimal("12.00").
    if isinstance(server, Decimal):
        try:
            return Decimal(str(device)) == server
        except decimal.InvalidOperation:
            return False
    return str(device) == str(server)


def _as_rate(value: object) -> Decimal | str:
    # Equal Decimals hash alike, so "22.0" from a device finds the server's 22 bucket.
    try:
        return Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)


def compare(device: PricedDocument | Mapping[str, Any], server: PricedDocument) -> list[Mismatch]:
    """Every figure where the device's pricing differs from the server's; empty when they agree."""
    dev = document_to_dict(device) if isinstance(device, PricedDocument) else device
    found: list[Mismatch] = []
    for name in _DOCUMENT_FIELDS:
        if not _same(dev.get(name), getattr(server, name)):
            found.append(Mismatch(name, None, dev.get(name), getattr(server, name)))
    dev_lines = list(dev.get("lines") or [])
    if len(dev_lines) != len(server.lines):
        found.append(Mismatch("lines", None, len(dev_lines), len(server.lines)))
    for index, (dev_line, line) in enumerate(zip(dev_lines, server.lines, strict=False)):
        for name in _LINE_FIELDS:
            if not _same(dev_line.get(name), getattr(line, name)):
                found.append(Mismatch(name, index, dev_line.get(name), getattr(line, name)))
    dev_buckets: dict[Decimal | str, Mapping[str, Any]] = {}
    for dev_bucket in dev.get("tax_breakdown") or []:
        dev_buckets[_as_rate(dev_bucket.get("rate"))] = dev_bucket
    for bucket in server.tax_breakdown:
        dev_bucket = dev_buckets.pop(bucket.rate, {})
        for name in ("base", "tax"):
            if not _same(dev_bucket.get(name), getattr(bucket, name)):
                found.append(
                    Mismatch(
                        f"tax_breakdown[{bucket.rate}].{name}",
                        None,
                        dev_bucket.get(name),
                        getattr(bucket, name),
                    )
                )
    for rate, dev_bucket in dev_buckets.items():
        found.append(Mismatch(f"tax_breakdown[{rate}]", None, dict(dev_bucket), None))
    return found
