"""Match and load: typed sell-out rows → rows of ``dealer_sellout_line``.

Codes are matched against maps read once per batch (products by default
code, barcode or the dealer's own codes; the dealer's customers by code, then
name; lots; provinces and territories), and the lines are written with
PostgreSQL ``COPY``: no ORM call per row. The caller invalidates the ORM cache.
"""

import hashlib
import io
import json
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from odoo.tools import SQL

from . import sellout_normaliser

# The columns of a line that the loader reads from a row, in COPY order.
LINE_COLUMNS = (
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
# All the columns COPY writes: the batch's and the row's, then the line's.
COLUMNS = ("batch_id", "dealer_id", "company_id", "row_number", "state", *LINE_COLUMNS)
RAW_VALUES = LINE_COLUMNS.index("raw_values")
CHUNK_ROWS = 20000
# Lines are copied in COPY's text format, written in half the time csv.writer
# takes: a tab between values, and these characters escaped.
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
PROVINCE_SUFFIXES = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$"
)


def name_key(text):
    """How names are compared: full-width folded, case and spaces ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def province_key(text):
    key = name_key(text)
    return PROVINCE_SUFFIXES.sub("", key) if len(key) > 2 else key


def copy_text(values):
    """One line of COPY's text format; None and an empty text are both NULL."""
    text = "\t".join(["" if value is None else str(value) for value in values])
    if (
        text.count("\t") != len(values) - 1
        or "\\" in text
        or "\n" in text
        or "\r" in text
    ):
        text = "\t".join(
            "" if value is None else str(value).translate(ESCAPES) for value in values
        )
    return text


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
        # each province as the rows write it → its state, read once
        self.states_written = {}

    # -- one row -----------------------------------------------------------

    def _territory(self, state_id, city):
        key = (state_id, city)
        if key not in self.places:
            self.places[key] = self.env["dealer.territory"]._locate(
                [key], self.place_index
            )[key]
        return self.places[key]

    def line_values(self, raw):
        """The field values of one line from the raw values of a row.

        Also used to re-read a line the dealer corrected in the portal.
        """
        return dict(zip(LINE_COLUMNS, self._line(raw), strict=True))

    def _state(self, province):
        if not province:
            return None
        if province not in self.states_written:
            self.states_written[province] = self.states.get(province_key(province))
        return self.states_written[province]

    def _line(self, raw):
        """The values of ``LINE_COLUMNS`` for a row: a tuple, as COPY takes them."""
        values, faults = sellout_normaliser.normalise(raw)
        product_code = values["product_code"]
        product_id = self.products.get(product_code.upper())
        customer_code, customer_name = values["customer_code"], values["customer_name"]
        customer = None
        if customer_code:
            customer = self.customers_by_code.get(customer_code.upper())
        if not customer and customer_name:
            customer = self.customers_by_name.get(name_key(customer_name))
        customer_id, territory_id, partner_id = customer or (None, None, None)
        state_id = self._state(values["province"])
        if not territory_id and state_id:
            territory_id = self._territory(state_id, values["city"])
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
        return (
            kind,
            values["date"],
            product_code,
            product_id,
            quantity,
            values["unit_price"],
            values["amount"],
            customer_code,
            customer_name,
            values["customer_type"],
            customer_id,
            values["province"],
            values["city"],
            state_id,
            territory_id or None,
            values["lot"],
            lot_id,
            values["doc_ref"],
            raw_values,
            error_message,
            fingerprint,
        )

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
        batch = self.batch
        fixed = (batch.id, self.dealer.id, batch.company_id.id)
        chunk, count, copying = [], 0, None
        # PostgreSQL copies a chunk in a thread while Python reads the next one.
        with ThreadPoolExecutor(max_workers=1) as copier:
            for row_number, raw in numbered_rows:
                line = self._line(raw)
                if line[RAW_VALUES] is not None:
                    line = list(line)
                    line[RAW_VALUES] = json.dumps(line[RAW_VALUES], ensure_ascii=False)
                chunk.append(copy_text((*fixed, row_number, "draft", *line)))
                count += 1
                if count % CHUNK_ROWS == 0:
                    if copying:
                        copying.result()
                        if progress:
                            progress(self.loaded + count - CHUNK_ROWS)
                    copying = copier.submit(self._copy, chunk)
                    chunk = []
            if copying:
                copying.result()
        self._copy(chunk)
        if progress and count >= CHUNK_ROWS:
            progress(self.loaded + count)
        self.loaded += count
        return count

    def _copy(self, chunk):
        if not chunk:
            return
        chunk.append("")  # the last line's end
        data = "\n".join(chunk)
        # Handed over whole: psycopg2 reads 8 kB at a time by default, and this
        # thread would wait for the parsing thread to release the GIL each time.
        self.env.cr._obj.copy_expert(
            f"COPY dealer_sellout_line ({', '.join(COLUMNS)}) FROM STDIN (NULL '')",
            io.StringIO(data),
            size=len(data),
        )
