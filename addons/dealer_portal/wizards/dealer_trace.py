from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

TRACE_STEPS = [
    ("delivery", "Manufacturer Delivery"),
    ("transfer", "To a Sub-dealer"),
    ("sale", "Sale to a Customer"),
    ("return", "Customer Return"),
    ("return_to_supplier", "Return to Manufacturer"),
]


class DealerTrace(models.TransientModel):
    """Where the goods went: for a lot, or a product over a period, the path
    manufacturer → dealer → sub-dealer → customer, with dates and quantities."""

    _name = "dealer.trace"
    _description = "Goods-flow Trace"

    lot_id = fields.Many2one("stock.lot")
    product_id = fields.Many2one("product.product")
    date_from = fields.Date()
    date_to = fields.Date()
    line_ids = fields.One2many("dealer.trace.line", "trace_id", readonly=True)

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    def action_trace(self):
        self.ensure_one()
        if not self.lot_id and not self.product_id:
            raise UserError(_("Choose a lot, or a product and a period."))
        self.line_ids.unlink()
        self.env["dealer.trace.line"].create(
            [dict(row, trace_id=self.id) for row in self._trace_rows()]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print(self):
        self.ensure_one()
        if not self.line_ids:
            self.action_trace()
        return self.env.ref("dealer_portal.action_report_dealer_trace").report_action(
            self
        )

    def _trace_rows(self):
        """Deliveries to dealers, then every ledger movement out of their stock,
        of the lot (or the product in the period), in the order they happened."""
        self.env.flush_all()
        shipped = SQL("TRUE")
        moved = SQL("TRUE")
        if self.lot_id:
            shipped = SQL("ml.lot_id = %s", self.lot_id.id)
            moved = SQL("move.lot_id = %s", self.lot_id.id)
        elif self.product_id:
            shipped = SQL("ml.product_id = %s", self.product_id.id)
            moved = SQL("move.product_id = %s", self.product_id.id)
        if self.date_from:
            shipped = SQL(
                "%s AND picking.date_done::date >= %s", shipped, self.date_from
            )
            moved = SQL("%s AND move.date >= %s", moved, self.date_from)
        if self.date_to:
            shipped = SQL("%s AND picking.date_done::date <= %s", shipped, self.date_to)
            moved = SQL("%s AND move.date <= %s", moved, self.date_to)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'delivery', picking.date_done::date, 0, %(company)s,
                       dealer.id, dealer.name, ml.quantity_product_uom, picking.name,
                       lot.name, product.default_code
                  FROM stock_move_line ml
                  JOIN stock_picking picking ON picking.id = ml.picking_id
                  JOIN stock_picking_type ptype ON ptype.id = picking.picking_type_id
                  JOIN res_partner contact ON contact.id = picking.partner_id
                  JOIN res_partner dealer ON dealer.id = contact.commercial_partner_id
                  JOIN product_product product ON product.id = ml.product_id
                  LEFT JOIN stock_lot lot ON lot.id = ml.lot_id
                 WHERE ml.state = 'done' AND ptype.code = 'outgoing'
                   AND dealer.is_dealer AND %(shipped)s
                 UNION ALL
                SELECT CASE move.kind WHEN 'transfer_out' THEN 'transfer'
                                      WHEN 'customer_return' THEN 'return'
                                      WHEN 'return_to_supplier'
                                           THEN 'return_to_supplier'
                                      ELSE 'sale' END,
                       move.date,
                       (WITH RECURSIVE up(id, depth) AS (
                            SELECT move.dealer_id, 1
                             UNION
                            SELECT partner.dealer_parent_id, up.depth + 1
                              FROM up JOIN res_partner partner ON partner.id = up.id
                             WHERE partner.dealer_parent_id IS NOT NULL)
                        SELECT MAX(depth) FROM up),
                       dealer.name, NULL,
                       COALESCE(target.name, customer.name, %(company)s),
                       -move.quantity, move.reference, lot.name, product.default_code
                  FROM dealer_stock_move move
                  JOIN res_partner dealer ON dealer.id = move.dealer_id
                  JOIN product_product product ON product.id = move.product_id
                  LEFT JOIN res_partner target ON target.id = move.counterpart_dealer_id
                  LEFT JOIN dealer_customer customer ON customer.id = move.customer_id
                  LEFT JOIN stock_lot lot ON lot.id = move.lot_id
                 WHERE move.kind IN ('sellout', 'transfer_out', 'customer_return',
                                     'return_to_supplier')
                   AND %(moved)s
                 ORDER BY 2, 3
                """,
                company=self.env.company.name,
                shipped=shipped,
                moved=moved,
            )
        )
        return [
            {
                "step": step,
                "date": day,
                "level": level,
                "source": source,
                "target": target,
                "quantity": quantity,
                "document": document,
                "lot_name": lot,
                "product_code": code,
            }
            for (
                step,
                day,
                level,
                source,
                _target_id,
                target,
                quantity,
                document,
                lot,
                code,
            ) in rows
        ]


class DealerTraceLine(models.TransientModel):
    _name = "dealer.trace.line"
    _description = "Goods-flow Trace Step"
    _order = "date, level, id"

    trace_id = fields.Many2one("dealer.trace", required=True, ondelete="cascade")
    step = fields.Selection(TRACE_STEPS)
    date = fields.Date()
    level = fields.Integer(
        help="0: the manufacturer; 1: a distributor; 2: its sub-dealers…"
    )
    source = fields.Char(string="From")
    target = fields.Char(string="To")
    quantity = fields.Float(digits="Product Unit of Measure")
    document = fields.Char()
    lot_name = fields.Char(string="Lot")
    product_code = fields.Char(string="Product")
