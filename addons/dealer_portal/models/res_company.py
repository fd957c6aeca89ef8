from odoo import fields, models

DEALER_ORDER_APPROVAL = [
    ("never", "Confirm at once"),
    ("over_credit", "Approve only when over credit"),
    ("always", "Always approve"),
]
DEALER_RECEIPT_SOURCE = [
    ("delivery", "Delivery done"),
    ("confirmation", "Dealer confirmation"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    dealer_order_approval = fields.Selection(
        DEALER_ORDER_APPROVAL,
        required=True,
        default="over_credit",
        help="Whether orders placed in the dealer portal are confirmed at once, "
        "always wait for a channel manager, or wait only when they take the "
        "dealer over its credit limit.",
    )
    dealer_receipt_source = fields.Selection(
        DEALER_RECEIPT_SOURCE,
        string="Dealer Ledger Receipts On",
        required=True,
        default="delivery",
        help="When goods enter a dealer's ledger: as soon as the delivery is done, "
        "or when the dealer confirms what it received.",
    )
