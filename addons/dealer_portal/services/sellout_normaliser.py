"""Normalise: the raw values of a sell-out row → typed values, or messages.

Dates come as ISO, 2026/10/05, 2026.10.5, 20261005, 2026年10月5日, real date
cells or Excel serial numbers; numbers as 1,200.00, ¥1200, ￥38.00 元 or in
full-width digits. Each fault becomes a message naming the field, for the row
it is in; the values that could be read are kept, so the dealer fixes only
what is wrong.
"""

import contextlib
import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

TEXT_FIELDS = (
    "product_code",
    "customer_code",
    "customer_name",
    "customer_type",
    "province",
    "city",
    "lot",
    "doc_ref",
)
MAX_TEXT = 200
# A value quoted in a message is cut to this many characters.
MAX_SHOWN = 40
# Sales dated outside these years are typing mistakes.
YEARS = range(1990, 2100)
# More decimals than this in a typed number is a mistake (or a machine's noise).
MAX_DECIMALS = 6
MAX_NUMBER = 1e12
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01, after Excel's leap bug
EXCEL_SERIALS = range(1, 2958466)  # up to 9999-12-31
CURRENCY = re.compile(r"^(?:RMB|CNY|人民币|[¥￥])|(?:元|RMB|CNY)$", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
DATE_PARTS = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})"
)
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
NUMBERS = (
    ("quantity", _lt("quantity")),
    ("unit_price", _lt("unit price")),
    ("amount", _lt("amount")),
)


def shown(value):
    """A value as quoted in a message: cleaned, and cut when long."""
    text = clean_text(value)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}…"


def money(number):
    """An amount as dealers write it in messages: 1,125.00."""
    return format(number, ",.2f")


class Fault(ValueError):
    """One value that cannot be read; its message is for the dealer."""


def clean_text(value):
    """A text cell: stripped, control characters removed, full-width ASCII folded."""
    if value.__class__ is not str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)  # 1001.0 in a spreadsheet cell is the code 1001
        value = str(value)
    if not value.isascii() and not unicodedata.is_normalized("NFKC", value):
        value = unicodedata.normalize("NFKC", value)
    if not value.isprintable():
        value = CONTROL.sub("", value)
    return value.strip()


def parse_date(value):
    day = _parse_date(value)
    if day.year not in YEARS:
        raise Fault(
            _lt(
                "%(value)s is not a date of sale: write a date between %(first)s "
                "and %(last)s.",
                value=shown(value),
                first=YEARS.start,
                last=YEARS.stop - 1,
            )
        )
    return day


def _parse_date(value):
    if value.__class__ is str:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            value = clean_text(value)  # the other ways dealers write dates, below
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = clean_text(value)
    if not text:
        raise Fault(_lt("The date is missing."))
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text[:10])
    match = DATE_PARTS.match(text) or DATE_COMPACT.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError as err:
            raise Fault(_lt("%(value)s is not a date.", value=shown(text))) from err
    if text.isdigit() and len(text) == 5:
        return _excel_serial(int(text))
    raise Fault(
        _lt(
            "%(value)s is not a date: write it as 2026-10-05, 2026/10/05 or "
            "2026年10月5日.",
            value=shown(text),
        )
    )


def _excel_serial(number):
    if number != number or int(number) not in EXCEL_SERIALS:
        raise Fault(_lt("%(value)s is not a date.", value=shown(number)))
    return EXCEL_EPOCH + timedelta(days=int(number))


def parse_number(value, label):
    """Read a number; ``label`` names it in messages (quantity, unit price…)."""
    if value.__class__ is str and value.isascii() and "_" not in value:
        try:
            number = float(value)
        except ValueError:
            value = clean_text(value)  # commas, currency signs, brackets: below
        else:
            return _finite(number, value, label)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = clean_text(value)
        if not text:
            return None
        text = CURRENCY.sub("", text).strip().replace(",", "").replace(" ", "")
        negative = text.startswith("(") and text.endswith(")")
        try:
            number = float(text.strip("()"))
        except ValueError as err:
            raise Fault(
                _lt("%(value)s is not a %(what)s.", value=shown(value), what=label)
            ) from err
        if negative:
            number = -number
        value = text
    return _finite(number, value, label)


def _finite(number, value, label):
    if number != number or (
        math.isinf(number) and not any(c.isdigit() for c in str(value))
    ):
        raise Fault(_lt("%(value)s is not a %(what)s.", value=shown(value), what=label))
    if not -MAX_NUMBER < number < MAX_NUMBER:
        raise Fault(
            _lt(
                "%(value)s is too large for a %(what)s.", value=shown(value), what=label
            )
        )
    # most numbers have two decimals or none: the rest is checked only then
    if value.__class__ is str and len(value.rpartition(".")[2]) > MAX_DECIMALS:
        decimals = value.rpartition(".")[2].rstrip("0")
        if "." in value and "e" not in value.lower() and len(decimals) > MAX_DECIMALS:
            raise Fault(
                _lt(
                    "%(value)s has more than %(max)s decimals.",
                    value=shown(value),
                    max=MAX_DECIMALS,
                )
            )
    return number + 0.0  # -0 is 0


def normalise(raw):
    """Turn a row of raw values into ``(values, faults)``.

    :param raw: dict field → raw value, as the parser gives it
    :return: ``values``: dict with ``date`` (a date or None), ``quantity``,
        ``unit_price``, ``amount`` (floats or None) and the cleaned text fields;
        ``faults``: list of ``(field, message)`` for what could not be read
    """
    values, faults = {}, []
    get = raw.get
    for name in TEXT_FIELDS:
        text = get(name)
        # most cells are plain text already: skip the cleaning then
        if text.__class__ is not str or not text.isprintable() or not text.isascii():
            text = clean_text(text)
        else:
            text = text.strip()
        if len(text) > MAX_TEXT:
            faults.append(
                (name, _lt("The text is longer than %(max)s characters.", max=MAX_TEXT))
            )
            text = text[:MAX_TEXT]
        values[name] = text

    try:
        values["date"] = parse_date(get("date"))
    except Fault as fault:
        values["date"] = None
        faults.append(("date", fault.args[0]))

    for name, label in NUMBERS:
        try:
            values[name] = parse_number(get(name), label)
        except Fault as fault:
            values[name] = None
            faults.append((name, fault.args[0]))

    if not values["product_code"]:
        faults.append(("product_code", _lt("The product code is missing.")))
    if not values["customer_code"] and not values["customer_name"]:
        faults.append(("customer_name", _lt("The customer code or name is missing.")))
    _check_quantities(values, faults)
    return values, faults


def _check_quantities(values, faults):
    """Quantity, unit price and amount must agree; the missing one is derived."""
    quantity = values["quantity"]
    if quantity is None and "quantity" not in dict(faults):
        faults.append(("quantity", _lt("The quantity is missing.")))
    elif quantity == 0:
        faults.append(("quantity", _lt("The quantity is zero.")))
    price, amount = values["unit_price"], values["amount"]
    if price is not None and price < 0:
        faults.append(("unit_price", _lt("The unit price is negative.")))
    if quantity:
        if price is None and amount is not None:
            values["unit_price"] = amount / quantity
        elif price is not None and amount is None:
            values["amount"] = quantity * price
        elif price is not None and amount is not None:
            expected = quantity * price
            if abs(amount - expected) > max(0.01, abs(expected) * 0.001):
                faults.append(
                    (
                        "amount",
                        _lt(
                            "The amount %(amount)s is not quantity × unit price "
                            "(%(expected)s).",
                            amount=money(amount),
                            expected=money(expected),
                        ),
                    )
                )
