from odoo import api, fields, models

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
    dealer_sellout_lock_date = fields.Date(
        string="Sell-out Closed Until",
        help="Sell-out dated on or before this day is refused: its period is closed.",
    )
    dealer_sellout_async_size = fields.Integer(
        string="Background Import Above (KB)",
        default=512,
        help="Files larger than this are read in the background; the dealer sees "
        "the progress.",
    )

    dealer_sellout_max_upload_mb = fields.Integer(
        string="Largest Sell-out File (MB)",
        default=20,
        help="Sell-out files and API calls larger than this are refused before "
        "they are read.",
    )
    dealer_sellout_disclose_evidence = fields.Boolean(
        string="Show Evidence to Dealers",
        help="Let dealers read the full findings of the sell-out checks, including "
        "the other dealers a lot was shipped to. Off by default: a dealer then "
        "never reads another dealer's name, prices or customers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # A new company gets the sell-out rules at their default weights;
        # whoever may create a company may set these up.
        self.env["dealer.sellout.rule"].sudo()._setup_company(companies)
        return companies
