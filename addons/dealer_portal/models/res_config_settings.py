from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_order_approval = fields.Selection(
        related="company_id.dealer_order_approval", readonly=False
    )
    dealer_receipt_source = fields.Selection(
        related="company_id.dealer_receipt_source", readonly=False
    )
    dealer_sellout_lock_date = fields.Date(
        related="company_id.dealer_sellout_lock_date", readonly=False
    )
    dealer_sellout_async_size = fields.Integer(
        related="company_id.dealer_sellout_async_size", readonly=False
    )
    dealer_sellout_max_upload_mb = fields.Integer(
        related="company_id.dealer_sellout_max_upload_mb", readonly=False
    )
    dealer_sellout_disclose_evidence = fields.Boolean(
        related="company_id.dealer_sellout_disclose_evidence", readonly=False
    )
