from odoo import _, api, fields, models
from odoo.fields import Command


class StockPicking(models.Model):
    _inherit = "stock.picking"

    dealer_receipt_ids = fields.One2many(
        "dealer.receipt", "picking_id", string="Dealer Receipt Confirmations"
    )
    dealer_receipt_state = fields.Selection(
        [("draft", "To Confirm"), ("confirmed", "Confirmed")],
        string="Dealer Receipt",
        compute="_compute_dealer_receipt_state",
        search="_search_dealer_receipt_state",
    )

    @api.depends("dealer_receipt_ids.state")
    def _compute_dealer_receipt_state(self):
        for picking in self:
            picking.dealer_receipt_state = picking.dealer_receipt_ids[:1].state

    def _search_dealer_receipt_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        return [("dealer_receipt_ids.state", operator, value)]

    def _action_done(self):
        res = super()._action_done()
        self._dealer_create_receipts()
        if not self.env.context.get("dealer_ledger_defer_receipts"):
            self._dealer_post_receipts()
        return res

    def action_view_dealer_receipt(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.dealer_receipt_action"
        )
        action.update(
            {
                "res_id": self.dealer_receipt_ids[:1].id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        )
        return action

    def _dealer_create_receipts(self):
        """Open a receipt confirmation for each delivery done to a dealer."""
        pickings = self.filtered(
            lambda picking: (
                picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and picking.partner_id.commercial_partner_id.is_dealer
                and not picking.dealer_receipt_ids
            )
        )
        vals_list = [
            {
                "picking_id": picking.id,
                "dealer_id": picking.partner_id.commercial_partner_id.id,
                "line_ids": [
                    Command.create(
                        {
                            "move_line_id": move_line.id,
                            "product_id": move_line.product_id.id,
                            "lot_id": move_line.lot_id.id,
                            "quantity_shipped": move_line.quantity_product_uom,
                            "quantity_received": move_line.quantity_product_uom,
                        }
                    )
                    for move_line in picking.move_line_ids
                    if move_line.quantity_product_uom > 0
                ],
            }
            for picking in pickings
        ]
        # Whoever validates the delivery opens the dealer's confirmation, with
        # or without rights on the channel's records.
        return self.env["dealer.receipt"].sudo().create(vals_list)

    def _dealer_post_receipts(self):
        """Write the dealer ledger lines of these done transfers, once.

        A delivery to a dealer is its receipt, unless the company waits for
        the dealer's confirmation of what arrived (``dealer.receipt``); goods
        a dealer sends back are its return to the manufacturer. Callers that
        validate back-dated deliveries (data imports) pass
        ``dealer_ledger_defer_receipts`` in the context, fix the dates, then
        call this.
        """
        Move = self.env["dealer.stock.move"]
        done = self.filtered(
            lambda picking: (
                picking.state == "done"
                and picking.partner_id.commercial_partner_id.is_dealer
                and (
                    picking.picking_type_code == "incoming"
                    or picking.picking_type_code == "outgoing"
                    and picking.company_id.dealer_receipt_source == "delivery"
                )
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
                vals_list.append(
                    {
                        "dealer_id": dealer.id,
                        "company_id": picking.company_id.id,
                        "date": day,
                        "kind": kind,
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "quantity": sign * line.quantity_product_uom,
                        "stock_move_id": line.move_id.id,
                        "reference": picking.name,
                    }
                )
        # Whoever validates a delivery has no right on the dealer ledger; these
        # lines only mirror the delivery just validated.
        return Move.sudo().create(vals_list)

    def _dealer_carrier_text(self):
        """The carrier and tracking reference of a delivery, when known."""
        self.ensure_one()
        # Carriers come with the Delivery Costs module, when it is installed.
        carrier = self["carrier_id"] if "carrier_id" in self._fields else False
        tracking = (
            self["carrier_tracking_ref"]
            if "carrier_tracking_ref" in self._fields
            else False
        )
        parts = []
        if carrier:
            parts.append(carrier.name)
        if tracking:
            parts.append(_("tracking %(reference)s", reference=tracking))
        return " · ".join(parts)

    def _dealer_tracking_text(self):
        """Sum up a delivery for the dealer: reference, state, carrier, tracking."""
        self.ensure_one()
        state = _("shipped") if self.state == "done" else _("being prepared")
        return " · ".join(filter(None, [self.name, state, self._dealer_carrier_text()]))
