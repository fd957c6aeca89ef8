from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .dealer_sellout_batch import LOCK_LEDGER
from .fields_bulk import BulkMany2one

MOVE_KINDS = [
    ("opening", "Opening Balance"),
    ("receipt", "Receipt"),
    ("sellout", "Sell-out"),
    ("customer_return", "Customer Return"),
    ("return_to_supplier", "Return to Manufacturer"),
    ("transfer_in", "Transfer In"),
    ("transfer_out", "Transfer Out"),
    ("adjustment", "Stocktake Adjustment"),
]


class DealerStockMove(models.Model):
    """The dealer ledger (进销存): one signed line per movement of stock.

    Lines are never changed nor deleted; a mistake is mended by a new line.
    Stock on hand at a date is the sum of the lines up to that date; the
    ``dealer.stock.daily`` summary keeps those sums per day, current with
    every line written.
    """

    _name = "dealer.stock.move"
    _description = "Dealer Ledger Line"
    _order = "date desc, id desc"
    _rec_name = "reference"
    # Written in bulk; who and when is the source document's.
    _log_access = False

    dealer_id = BulkMany2one("res.partner", required=True, readonly=True)
    company_id = BulkMany2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date = fields.Date(required=True, readonly=True)
    kind = fields.Selection(MOVE_KINDS, required=True, readonly=True)
    product_id = BulkMany2one("product.product", required=True, readonly=True)
    lot_id = BulkMany2one("stock.lot", index="btree_not_null", readonly=True)
    quantity = fields.Float(
        digits="Product Unit of Measure",
        required=True,
        readonly=True,
        help="Positive when stock comes in, negative when it goes out.",
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    # indexed with the product (init)
    customer_id = BulkMany2one("dealer.customer", readonly=True)
    counterpart_dealer_id = BulkMany2one(
        "res.partner",
        string="Other Dealer",
        ondelete="restrict",
        readonly=True,
        help="For a transfer: the dealer the goods came from or went to.",
    )
    sellout_line_id = BulkMany2one(
        "dealer.sellout.line", index="btree_not_null", readonly=True
    )
    stock_move_id = BulkMany2one(
        "stock.move", string="Delivery Move", index="btree_not_null", readonly=True
    )
    reference = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "quantity_not_zero",
            "CHECK(quantity <> 0)",
            "A ledger line moves some stock.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS dealer_stock_move_dealer_product_date
                    ON dealer_stock_move (dealer_id, product_id, date)
                """
            )
        )
        # What a customer bought of a product, for the returns it makes; it
        # replaces the index on the customer alone of earlier versions.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS dealer_stock_move_customer_product
                    ON dealer_stock_move (customer_id, product_id)
                 WHERE customer_id IS NOT NULL
                """
            )
        )
        self.env.cr.execute(
            SQL("DROP INDEX IF EXISTS dealer_stock_move__customer_id_index")
        )

    @api.model_create_multi
    def create(self, vals_list):
        # One writer of a dealer's ledger at a time, as for sell-out posting:
        # a report checked in preview is then checked again at submit when
        # anything was written since (see _ledger_state of the batch).
        Batch = self.env["dealer.sellout.batch"]
        dealers = {vals["dealer_id"] for vals in vals_list if vals.get("dealer_id")}
        for dealer_id in sorted(dealers):
            Batch._lock(LOCK_LEDGER, dealer_id)
        moves = super().create(vals_list)
        moves._update_daily()
        return moves

    def write(self, vals):
        if vals:
            raise UserError(
                _(
                    "Ledger lines cannot be changed; record a correcting movement "
                    "instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            _("Ledger lines cannot be deleted; record a correcting movement instead.")
        )

    def _update_daily(self):
        """Add these new lines to the daily summary, in the same transaction."""
        self.flush_model()
        self.env["dealer.stock.daily"]._add_moves(SQL("id = ANY(%s)", self.ids))
        self._after_moves_added()

    def _after_moves_added(self):
        """Hook: these ledger lines were just written, by ``create`` or in bulk
        by sell-out posting, and are flushed. Add-ons keeping summaries of the
        ledger bring them up to date here, in the same transaction."""


class DealerStockDaily(models.Model):
    """Net movement of stock per dealer, product, lot and day.

    Written only by the ledger, with SQL; the inventory pages and the checks
    read it instead of summing every ledger line.
    """

    _name = "dealer.stock.daily"
    _description = "Dealer Stock per Day"
    _order = "date desc"
    _log_access = False

    dealer_id = BulkMany2one("res.partner", required=True, index=True, readonly=True)
    company_id = BulkMany2one("res.company", required=True, readonly=True)
    product_id = BulkMany2one("product.product", required=True, readonly=True)
    lot_id = BulkMany2one("stock.lot", readonly=True)
    date = fields.Date(required=True, readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS dealer_stock_daily_key
                    ON dealer_stock_daily
                       (dealer_id, product_id, (COALESCE(lot_id, 0)), date)
                """
            )
        )

    @api.model
    def _add_moves(self, where):
        """Add the ledger lines matching ``where`` (an SQL condition) to the days."""
        self.env.cr.execute(
            self._add_moves_sql(
                SQL("(SELECT * FROM dealer_stock_move WHERE %s)", where)
            )
        )
        self.invalidate_model()

    @api.model
    def _add_moves_sql(self, moves):
        """The statement adding ``moves`` (an SQL table expression with the
        ledger's columns) to the daily summary."""
        return SQL(
            """
            INSERT INTO dealer_stock_daily
                   (dealer_id, company_id, product_id, lot_id, date, quantity)
            SELECT dealer_id, MIN(company_id), product_id, lot_id, date, SUM(quantity)
              FROM %s AS moves
             GROUP BY dealer_id, product_id, lot_id, date
                ON CONFLICT (dealer_id, product_id, (COALESCE(lot_id, 0)), date)
                DO UPDATE SET quantity = dealer_stock_daily.quantity + EXCLUDED.quantity
            """,
            moves,
        )

    @api.model
    def _stock_on_hand(self, dealer, at_date=None, by_lot=True):
        """Stock of ``dealer`` at the end of ``at_date`` (today when not given).

        :return: dict ``(product_id, lot_id or False) → quantity`` (only the
            non-zero ones; ``lot_id`` is always False when ``by_lot`` is False)
        """
        self.env["dealer.stock.move"].flush_model()
        lot = SQL("lot_id") if by_lot else SQL("NULL::int")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT product_id, %(lot)s, SUM(quantity)
                  FROM dealer_stock_daily
                 WHERE dealer_id = %(dealer)s AND date <= %(date)s
                 GROUP BY product_id, %(lot)s
                HAVING ROUND(SUM(quantity)::numeric, 6) <> 0
                """,
                lot=lot,
                dealer=dealer.id,
                date=at_date or fields.Date.context_today(self),
            )
        )
        return {(product, lot_id or False): qty for product, lot_id, qty in rows}
