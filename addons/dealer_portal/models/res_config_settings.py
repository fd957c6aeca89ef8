from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_sellout_lock_date = fields.Date(
        related="company_id.dealer_sellout_lock_date", readonly=False
    )
    dealer_sellout_async_size = fields.Integer(
        related="company_id.dealer_sellout_async_size", readonly=False
    )
