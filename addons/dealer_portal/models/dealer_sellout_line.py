from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services import partitioning, sellout_parser
from .fields_bulk import BulkMany2one

LINE_STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("posted", "Posted"),
    ("rejected", "Rejected"),
]
LINE_KINDS = [
    ("sellout", "Sale"),
    ("customer_return", "Customer Return"),
    ("transfer_out", "Sale to a Sub-dealer"),
]
# The tables that grow with every line reported, partitioned together.
PARTITIONED_TABLES = (
    "dealer_sellout_line",
    "dealer_sellout_issue",
    "dealer_stock_move",
)
TRANSFER_STATES = [
    ("pending", "To Confirm"),
    ("confirmed", "Confirmed"),
    ("refused", "Refused"),
]


class DealerSelloutLine(models.Model):
    """One reported sale (or return) of a dealer to a downstream customer.

    Lines are written in bulk by the batch's loader; what the dealer typed is
    kept where it could not be read (``raw_values``, ``error_message``), so it
    can be corrected in the portal.
    """

    _name = "dealer.sellout.line"
    _description = "Sell-out Line"
    _order = "batch_id desc, row_number, id"
    # Written in bulk; who and when is the batch's.
    _log_access = False

    # Without a foreign key, which PostgreSQL would check for every line a
    # file loads: the batch deletes its lines itself (see its ``unlink``).
    batch_id = BulkMany2one("dealer.sellout.batch", required=True, index=True)
    dealer_id = BulkMany2one("res.partner", required=True)
    company_id = BulkMany2one("res.company", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    row_number = fields.Integer(
        string="Row", help="The row of the file this line comes from."
    )
    state = fields.Selection(LINE_STATES, required=True, default="draft")
    kind = fields.Selection(LINE_KINDS, default="sellout")
    date = fields.Date()
    product_code = fields.Char()
    product_id = BulkMany2one("product.product")
    quantity = fields.Float(digits="Product Unit of Measure")
    unit_price = fields.Float(digits="Product Price")
    amount = fields.Monetary()
    customer_code = fields.Char()
    customer_name = fields.Char()
    customer_type = fields.Char()
    customer_id = BulkMany2one("dealer.customer")
    province = fields.Char()
    city = fields.Char()
    state_id = BulkMany2one("res.country.state", string="Province State")
    territory_id = BulkMany2one("dealer.territory")
    lot_name = fields.Char(string="Lot Number")
    lot_id = BulkMany2one("stock.lot")
    doc_ref = fields.Char(string="Document")
    raw_values = fields.Json(
        help="What the dealer wrote in the fields that could not be read."
    )
    error_message = fields.Text(string="Unreadable Values")
    fingerprint = fields.Char(copy=False)
    issue_ids = fields.One2many("dealer.sellout.issue", "line_id")
    has_blocking_issue = fields.Boolean(compute="_compute_has_blocking_issue")
    move_ids = fields.One2many("dealer.stock.move", "sellout_line_id")
    transfer_dealer_id = fields.Many2one(
        "res.partner",
        string="Receiving Dealer",
        index="btree_not_null",
        help="For a sale to a sub-dealer: the dealer who confirms the goods arrived.",
    )
    transfer_state = fields.Selection(TRANSFER_STATES, index="btree_not_null")

    def init(self):
        # Posting a batch only changes the lines' state: with half of each page
        # left free, PostgreSQL rewrites every line in place (HOT) without
        # touching any index, three times faster than moving them. Hence no
        # index may cover ``state``, and the table takes twice the room of its
        # rows. (A partitioned table has no pages of its own: its partitions
        # carry the setting, and pass it on to the partitions made later.)
        cr = self.env.cr
        tables = [self._table]
        if partitioning.is_partitioned(cr, self._table):
            tables = list(partitioning.partitions(cr, self._table))
        for table in tables:
            cr.execute(
                SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(table))
            )
        # Databases made before batch_id lost its foreign key still have it.
        cr.execute(
            SQL(
                """
                ALTER TABLE dealer_sellout_line
                DROP CONSTRAINT IF EXISTS dealer_sellout_line_batch_id_fkey
                """
            )
        )
        # Earlier reports of a dealer, looked up by the duplicate rule. The
        # date (part of the fingerprint) comes first: a file's lines, mostly
        # in date order, then go to a few pages of the index, not to random
        # ones; with the fingerprint alone, COPY took half as long again.
        cr.execute(SQL("DROP INDEX IF EXISTS dealer_sellout_line_dealer_fingerprint"))
        cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS dealer_sellout_line_dealer_date_fingerprint
                    ON dealer_sellout_line (dealer_id, date, fingerprint)
                 WHERE fingerprint IS NOT NULL
                """
            )
        )

    @api.depends("issue_ids.severity", "issue_ids.state")
    def _compute_has_blocking_issue(self):
        for line in self:
            line.has_blocking_issue = any(
                issue.severity == "blocking" and issue.state == "open"
                for issue in line.issue_ids
            )

    @api.depends("row_number", "product_code", "batch_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = _(
                "%(batch)s row %(row)s", batch=line.batch_id.name, row=line.row_number
            )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        # Staff pick the product; the checks read the code, as in a dealer's file.
        if self.product_id:
            self.product_code = self.product_id.default_code or self.product_id.barcode

    @api.onchange("customer_id")
    def _onchange_customer_id(self):
        if self.customer_id:
            self.customer_code = self.customer_id.code
            self.customer_name = self.customer_id.name

    def write(self, vals):
        if any(line.state != "draft" for line in self) and set(vals) - {
            "state",
            "transfer_state",
            "customer_id",
        }:
            raise UserError(_("Only lines of a draft batch can be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(line.state != "draft" for line in self):
            raise UserError(_("Only lines of a draft batch can be dropped."))

    def _confirm_transfer(self):
        """The receiving sub-dealer confirms the goods arrived: its inbound."""
        for line in self:
            if line.transfer_state != "pending":
                raise UserError(_("This delivery is not waiting for confirmation."))
        self.env["dealer.stock.move"].create(
            [
                {
                    "dealer_id": line.transfer_dealer_id.id,
                    "company_id": line.company_id.id,
                    "date": line.date,
                    "kind": "transfer_in",
                    "product_id": line.product_id.id,
                    "lot_id": line.lot_id.id,
                    "quantity": line.quantity,
                    "counterpart_dealer_id": line.dealer_id.id,
                    "sellout_line_id": line.id,
                    "reference": line.doc_ref or line.batch_id.name,
                }
                for line in self
            ]
        )
        self.write({"transfer_state": "confirmed"})

    def _refuse_transfer(self):
        """The receiving sub-dealer says the goods did not arrive."""
        for line in self:
            if line.transfer_state != "pending":
                raise UserError(_("This delivery is not waiting for confirmation."))
            line.batch_id.message_post(
                body=_(
                    "%(dealer)s says it did not receive row %(row)s (%(quantity)s × "
                    "%(product)s).",
                    dealer=line.transfer_dealer_id.name,
                    row=line.row_number,
                    quantity=line.quantity,
                    product=line.product_id.display_name,
                )
            )
        self.write({"transfer_state": "refused"})

    def _raw_or_value(self, name):
        """What the line's form shows for ``name``: the raw text when unreadable."""
        self.ensure_one()
        raw = self.raw_values or {}
        if name in raw:
            return raw[name]
        value = {
            "date": self.date,
            "product_code": self.product_code,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "amount": self.amount,
            "customer_code": self.customer_code,
            "customer_name": self.customer_name,
            "customer_type": self.customer_type,
            "province": self.province,
            "city": self.city,
            "lot": self.lot_name,
            "doc_ref": self.doc_ref,
        }[name]
        if value is None or value is False:
            return ""
        if name in ("unit_price", "amount") and not value:
            return ""  # the ORM reads an empty price or amount as 0
        if isinstance(value, float):
            return f"{value:g}" if name == "quantity" else f"{value:.2f}"
        return str(value)

    def _form_values(self):
        return {name: self._raw_or_value(name) for name in sellout_parser.FIELDS}

    def _correct(self, raw):
        """Re-read this draft line from corrected raw values, then re-check its batch.

        :param raw: dict field → text, as the dealer typed it in the portal
        """
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Only lines of a draft batch can be corrected."))
        loader = self.batch_id._loader()
        values = loader.line_values(
            {name: raw.get(name, "") for name in sellout_parser.FIELDS}
        )
        self.write(values)
        self.batch_id._check_lines()

    # ------------------------------------------------------------------
    # Partitions (docs/scale-out.md)

    @api.model
    def _partition_tables(self, capacity):
        """Partition the sell-out lines, their issues and the dealer ledger by
        month, each month holding up to ``capacity`` ids before it spills into
        the next partition. For an administrator, with the server stopped."""
        self.env.flush_all()
        month = fields.Date.context_today(self).strftime("%Y%m")
        for table in PARTITIONED_TABLES:
            partitioning.partition(self.env.cr, table, capacity, month)

    @api.model
    def _cron_roll_partitions(self):
        """Start the month's partitions, and replace a spare a busy month
        has spilled into; nothing to do while the tables are not partitioned."""
        month = fields.Date.context_today(self).strftime("%Y%m")
        for table in PARTITIONED_TABLES:
            partitioning.roll(self.env.cr, table, month)
