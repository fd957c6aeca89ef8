from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class DealerReconciliation(models.TransientModel):
    """Sell-in, sell-out and stock of dealers over a period, side by side.

    Per dealer and product: the stock at the start, what the manufacturer
    delivered against what entered the dealer's ledger (deliveries not yet
    confirmed, shortfalls), what was sold, returned, transferred and adjusted,
    and the stock at the end.
    """

    _name = "dealer.reconciliation"
    _description = "Dealer Stock Reconciliation"

    dealer_ids = fields.Many2many(
        "res.partner", string="Dealers", domain=[("is_dealer", "=", True)]
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    line_ids = fields.One2many("dealer.reconciliation.line", "reconciliation_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        today = fields.Date.context_today(self)
        values.setdefault("date_from", today.replace(day=1))
        values.setdefault("date_to", today)
        return values

    def action_compute(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        self.env.flush_all()
        self.line_ids.unlink()
        dealers = SQL("TRUE")
        if self.dealer_ids:
            dealers = SQL("dealer_id = ANY(%s)", self.dealer_ids.ids)
        rows = self.env.execute_query(
            SQL(
                """
                WITH moves AS (
                    SELECT dealer_id, product_id,
                           SUM(quantity) FILTER (WHERE date < %(start)s) AS opening,
                           SUM(quantity) FILTER (WHERE %(period)s AND kind = 'receipt')
                               AS received,
                           SUM(quantity) FILTER (
                               WHERE %(period)s AND kind = 'transfer_in')
                               AS transferred_in,
                           -SUM(quantity) FILTER (WHERE %(period)s AND kind = 'sellout')
                               AS sold,
                           -SUM(quantity) FILTER (
                               WHERE %(period)s AND kind = 'transfer_out')
                               AS transferred_out,
                           SUM(quantity) FILTER (
                               WHERE %(period)s AND kind = 'customer_return')
                               AS returned_by_customers,
                           -SUM(quantity) FILTER (
                               WHERE %(period)s AND kind = 'return_to_supplier')
                               AS returned_to_us,
                           SUM(quantity) FILTER (
                               WHERE %(period)s AND kind IN ('opening', 'adjustment'))
                               AS adjusted,
                           SUM(quantity) AS closing
                      FROM dealer_stock_move
                     WHERE %(dealers)s AND date <= %(end)s
                     GROUP BY dealer_id, product_id
                ), shipped AS (
                    SELECT partner.commercial_partner_id AS dealer_id, ml.product_id,
                           SUM(ml.quantity_product_uom) AS shipped
                      FROM stock_move_line ml
                      JOIN stock_picking picking ON picking.id = ml.picking_id
                      JOIN stock_picking_type ptype
                           ON ptype.id = picking.picking_type_id
                      JOIN res_partner partner ON partner.id = picking.partner_id
                     WHERE ml.state = 'done' AND ptype.code = 'outgoing'
                       AND picking.date_done::date BETWEEN %(start)s AND %(end)s
                       AND partner.commercial_partner_id IN (
                           SELECT id FROM res_partner WHERE is_dealer)
                     GROUP BY 1, 2
                )
                SELECT COALESCE(moves.dealer_id, shipped.dealer_id),
                       COALESCE(moves.product_id, shipped.product_id),
                       COALESCE(opening, 0), COALESCE(shipped, 0),
                       COALESCE(received, 0), COALESCE(transferred_in, 0),
                       COALESCE(sold, 0), COALESCE(transferred_out, 0),
                       COALESCE(returned_by_customers, 0), COALESCE(returned_to_us, 0),
                       COALESCE(adjusted, 0), COALESCE(closing, 0)
                  FROM moves
                  FULL JOIN shipped ON shipped.dealer_id = moves.dealer_id
                                   AND shipped.product_id = moves.product_id
                 WHERE %(shipped_dealers)s
                """,
                start=self.date_from,
                end=self.date_to,
                period=SQL("date BETWEEN %s AND %s", self.date_from, self.date_to),
                dealers=dealers,
                shipped_dealers=SQL(
                    "COALESCE(moves.dealer_id, shipped.dealer_id) = ANY(%s)",
                    self.dealer_ids.ids,
                )
                if self.dealer_ids
                else SQL("TRUE"),
            )
        )
        names = (
            "dealer_id",
            "product_id",
            "opening",
            "shipped",
            "received",
            "transferred_in",
            "sold",
            "transferred_out",
            "returned_by_customers",
            "returned_to_us",
            "adjusted",
            "closing",
        )
        self.env["dealer.reconciliation.line"].create(
            [
                dict(zip(names, row, strict=True), reconciliation_id=self.id)
                for row in rows
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.reconciliation.line",
            "view_mode": "list,pivot",
            "domain": [("reconciliation_id", "=", self.id)],
            "name": _(
                "Reconciliation %(start)s – %(end)s",
                start=self.date_from,
                end=self.date_to,
            ),
            "context": {"search_default_gaps": 1},
        }


class DealerReconciliationLine(models.TransientModel):
    _name = "dealer.reconciliation.line"
    _description = "Dealer Stock Reconciliation Line"
    _order = "dealer_id, product_id"

    reconciliation_id = fields.Many2one(
        "dealer.reconciliation", required=True, ondelete="cascade"
    )
    dealer_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    opening = fields.Float(string="Opening Stock", digits="Product Unit of Measure")
    shipped = fields.Float(
        string="Delivered by Us",
        digits="Product Unit of Measure",
        help="Done deliveries of the period, on our side.",
    )
    received = fields.Float(
        digits="Product Unit of Measure",
        help="Receipts in the dealer's ledger over the period.",
    )
    not_received = fields.Float(
        string="Delivered, Not Received",
        digits="Product Unit of Measure",
        compute="_compute_gaps",
        store=True,
        help="Deliveries not yet confirmed by the dealer, or short on arrival.",
    )
    transferred_in = fields.Float(digits="Product Unit of Measure")
    sold = fields.Float(string="Sell-out", digits="Product Unit of Measure")
    transferred_out = fields.Float(
        string="Sold to Sub-dealers", digits="Product Unit of Measure"
    )
    returned_by_customers = fields.Float(digits="Product Unit of Measure")
    returned_to_us = fields.Float(digits="Product Unit of Measure")
    adjusted = fields.Float(string="Adjustments", digits="Product Unit of Measure")
    closing = fields.Float(string="Closing Stock", digits="Product Unit of Measure")
    sell_through = fields.Float(
        string="Sell-through (%)",
        compute="_compute_gaps",
        store=True,
        help="Sell-out and sales to sub-dealers over what came in during the period.",
    )

    @api.depends("shipped", "received", "sold", "transferred_out", "transferred_in")
    def _compute_gaps(self):
        for line in self:
            line.not_received = line.shipped - line.received
            inbound = line.received + line.transferred_in
            outbound = line.sold + line.transferred_out
            line.sell_through = 100 * outbound / inbound if inbound else 0.0
