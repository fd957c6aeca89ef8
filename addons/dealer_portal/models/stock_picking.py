from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        if not self.env.context.get("dealer_ledger_defer_receipts"):
            self._dealer_post_receipts()
        return res

    def _dealer_post_receipts(self):
        """Write the dealer ledger lines of these done transfers, once.

        A delivery to a dealer is its receipt; goods a dealer sends back are
        its return to the manufacturer. Callers that validate back-dated
        deliveries (data imports) pass ``dealer_ledger_defer_receipts`` in the
        context, fix the dates, then call this.
        """
        Move = self.env["dealer.stock.move"]
        done = self.filtered(
            lambda picking: (
                picking.state == "done"
                and picking.partner_id.commercial_partner_id.is_dealer
                and picking.picking_type_code in ("outgoing", "incoming")
            )
        )
        if not done:
            return Move
        recorded = set(
            Move.sudo()
            .search([("stock_move_id", "in", done.move_ids.ids)])
            .stock_move_id.ids
        )
        vals_list = []
        for picking in done:
            dealer = picking.partner_id.commercial_partner_id
            sign, kind = (
                (1, "receipt")
                if picking.picking_type_code == "outgoing"
                else (-1, "return_to_supplier")
            )
            day = fields.Date.context_today(picking, picking.date_done)
            for line in picking.move_line_ids:
                if line.move_id.id in recorded or not line.quantity:
                    continue
                quantity = line.product_uom_id._compute_quantity(
                    line.quantity, line.product_id.uom_id
                )
                vals_list.append(
                    {
                        "dealer_id": dealer.id,
                        "company_id": picking.company_id.id,
                        "date": day,
                        "kind": kind,
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "quantity": sign * quantity,
                        "stock_move_id": line.move_id.id,
                        "reference": picking.name,
                    }
                )
        # Whoever validates a delivery has no right on the dealer ledger; these
        # lines only mirror the delivery just validated.
        return Move.sudo().create(vals_list)
