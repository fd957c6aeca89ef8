from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

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

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["dealer.sellout.rule"].sudo()._setup_company(companies)
        return companies
