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
