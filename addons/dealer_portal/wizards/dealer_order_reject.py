from odoo import fields, models


class DealerOrderReject(models.TransientModel):
    _name = "dealer.order.reject"
    _description = "Reject Dealer Orders"

    order_ids = fields.Many2many(
        "sale.order", string="Orders", required=True, readonly=True
    )
    reason = fields.Text(
        required=True,
        help="Sent to the dealer, who also reads it on the order in the portal.",
    )

    def action_reject(self):
        self.ensure_one()
        self.order_ids._dealer_reject(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
