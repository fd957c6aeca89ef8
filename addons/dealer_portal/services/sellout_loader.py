"""Match and load: typed sell-out rows → rows of ``dealer_sellout_line``.

Codes are matched against maps read once per batch (products by default
code, barcode or the dealer's own codes; the dealer's customers by code, then
name; lots; provinces and territories), and the lines are written with
PostgreSQL ``COPY``: no ORM call per row. The caller invalidates the ORM cache.
"""

import csv
import hashlib
import io
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from odoo.tools import SQL

from . import sellout_normaliser

# The columns written for each line, in COPY order.
COLUMNS = (
    "batch_id",
    "dealer_id",
    "company_id",
    "row_number",
    "state",
    "kind",
    "date",
    "product_code",
    "product_id",
    "quantity",
    "unit_price",
    "amount",
    "customer_code",
    "customer_name",
    "customer_type",
    "customer_id",
    "province",
    "city",
    "state_id",
    "territory_id",
    "lot_name",
    "lot_id",
    "doc_ref",
    "raw_values",
    "error_message",
    "fingerprint",
)
CHUNK_ROWS = 20000
PROVINCE_SUFFIXES = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$"
)


def name_key(text):
    """How names are compared: full-width folded, case and spaces ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def province_key(text):
    key = name_key(text)
    return PROVINCE_SUFFIXES.sub("", key) if len(key) > 2 else key


class SelloutLoader:
    """Loads the rows of one batch; ``load(rows)`` may be called many times."""

    def __init__(self, env, batch, headers=None):
        self.env = env
        self.batch = batch
        self.headers = headers or {}
        self.dealer = batch.dealer_id
        self.loaded = 0
        self._read_maps()

    # -- maps, read once ---------------------------------------------------

    def _read_maps(self):
        env, dealer = self.env, self.dealer
        env.flush_all()
        company = self.batch.company_id
        products = {}
        for product_id, code, barcode in env.execute_query(
            SQL(
                """
                SELECT product.id, product.default_code, product.barcode
                  FROM product_product product
                  JOIN product_template template
                       ON template.id = product.product_tmpl_id
                 WHERE product.active
                   AND (template.company_id IS NULL OR template.company_id = %s)
                 ORDER BY product.id DESC
                """,
                company.id,
            )
        ):
            # ordered newest first: an older product keeps a code on a clash
            if barcode:
                products[barcode.upper()] = product_id
            if code:
                products[code.strip().upper()] = product_id
        for code, product_id in env.execute_query(
            SQL(
                "SELECT code, product_id FROM dealer_product_code WHERE dealer_id = %s",
                dealer.id,
            )
        ):
            products[code.strip().upper()] = product_id
        self.products = products

        self.customers_by_code, self.customers_by_name = {}, {}
        for customer_id, code, name, territory_id, partner_id in env.execute_query(
            SQL(
                """
                SELECT id, code, name, territory_id, partner_id
                  FROM dealer_customer
                 WHERE dealer_id = %s AND active
                 ORDER BY id DESC
                """,
                dealer.id,
            )
        ):
            customer = (customer_id, territory_id, partner_id)
            if code:
                self.customers_by_code[code.strip().upper()] = customer
            self.customers_by_name[name_key(name)] = customer

        self.lots = {
            (product_id, name.strip().upper()): lot_id
            for lot_id, product_id, name in env.execute_query(
                SQL(
                    """
                    SELECT id, product_id, name FROM stock_lot
                     WHERE company_id IS NULL OR company_id = %s
                    """,
                    company.id,
                )
            )
        }
        self.states = {}
        for state_id, name, code in env.execute_query(
            SQL(
                """
                SELECT state.id, state.name, state.code
                  FROM res_country_state state
                  JOIN res_country country ON country.id = state.country_id
                 WHERE country.code = 'CN'
                """
            )
        ):
            self.states[province_key(name)] = state_id
            self.states[name_key(code)] = state_id
        self.place_index = env["dealer.territory"]._place_index()
        self.places = {}

    # -- one row -----------------------------------------------------------

    def _territory(self, state_id, city):
        key = (state_id, city)
        if key not in self.places:
            self.places[key] = self.env["dealer.territory"]._locate(
                [key], self.place_index
            )[key]
        return self.places[key]

    def line_values(self, raw):
        """The column values of one line from the raw values of a row.

        Also used to re-read a line the dealer corrected in the portal.
        """
        values, faults = sellout_normaliser.normalise(raw)
        product_id = self.products.get(values["product_code"].upper()) or None
        customer = None
        if values["customer_code"]:
            customer = self.customers_by_code.get(values["customer_code"].upper())
        if not customer and values["customer_name"]:
            customer = self.customers_by_name.get(name_key(values["customer_name"]))
        customer_id, territory_id, partner_id = customer or (None, None, None)
        state_id = self.states.get(province_key(values["province"])) or None
        if not territory_id and state_id:
            territory_id = self._territory(state_id, values["city"]) or None
        lot_id = None
        if values["lot"] and product_id:
            lot_id = self.lots.get((product_id, values["lot"].upper()))
        quantity = values["quantity"]
        if quantity is not None and quantity < 0:
            kind = "customer_return"
        elif partner_id:
            kind = "transfer_out"
        else:
            kind = "sellout"
        raw_values = error_message = fingerprint = None
        if faults:
            # Keep what the dealer typed where it could not be read, to correct it.
            raw_values = {
                name: sellout_normaliser.clean_text(raw.get(name))
                for name in dict(faults)
            }
            error_message = "\n".join(
                f"{self.headers.get(name, name)}: {message}" for name, message in faults
            )
        else:
            fingerprint = self._fingerprint(values)
        return {
            "kind": kind,
            "date": values["date"],
            "product_code": values["product_code"],
            "product_id": product_id,
            "quantity": quantity,
            "unit_price": values["unit_price"],
            "amount": values["amount"],
            "customer_code": values["customer_code"],
            "customer_name": values["customer_name"],
            "customer_type": values["customer_type"],
            "customer_id": customer_id,
            "province": values["province"],
            "city": values["city"],
            "state_id": state_id,
            "territory_id": territory_id,
            "lot_name": values["lot"],
            "lot_id": lot_id,
            "doc_ref": values["doc_ref"],
            "raw_values": raw_values,
            "error_message": error_message,
            "fingerprint": fingerprint,
        }

    def _fingerprint(self, values):
        key = "\x1f".join(
            (
                values["date"].isoformat(),
                values["product_code"].upper(),
                f"{values['quantity']:.4f}",
                f"{values['unit_price'] or 0:.4f}",
                values["customer_code"].upper() or name_key(values["customer_name"]),
                values["lot"].upper(),
                values["doc_ref"],
            )
        )
        return hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()

    # -- bulk --------------------------------------------------------------

    def load(self, numbered_rows, progress=None):
        """COPY the rows ``(row_number, raw values)`` into the batch's lines."""
        import json

        batch = self.batch
        fixed = {
            "batch_id": batch.id,
            "dealer_id": self.dealer.id,
            "company_id": batch.company_id.id,
            "state": "draft",
        }
        buffer, count, copying = io.StringIO(), 0, None
        writer = csv.writer(buffer)
        # PostgreSQL copies a chunk in a thread while Python reads the next one.
        with ThreadPoolExecutor(max_workers=1) as copier:
            for row_number, raw in numbered_rows:
                values = self.line_values(raw)
                values.update(fixed, row_number=row_number)
                if values["raw_values"] is not None:
                    values["raw_values"] = json.dumps(
                        values["raw_values"], ensure_ascii=False
                    )
                writer.writerow(map(values.get, COLUMNS))
                count += 1
                if count % CHUNK_ROWS == 0:
                    if copying:
                        copying.result()
                        if progress:
                            progress(self.loaded + count - CHUNK_ROWS)
                    copying = copier.submit(self._copy, buffer)
                    buffer = io.StringIO()
                    writer = csv.writer(buffer)
            if copying:
                copying.result()
        self._copy(buffer)
        if progress and count >= CHUNK_ROWS:
            progress(self.loaded + count)
        self.loaded += count
        return count

    def _copy(self, buffer):
        if not buffer.tell():
            return
        buffer.seek(0)
        # CSV format: an unquoted empty field is NULL, as empty texts are stored.
        self.env.cr._obj.copy_expert(
            f"COPY dealer_sellout_line ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)",
            buffer,
        )
