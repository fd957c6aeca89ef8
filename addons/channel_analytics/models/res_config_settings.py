from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_roi_baseline = fields.Selection(
        related="company_id.channel_roi_baseline", readonly=False
    )
    channel_cover_days = fields.Integer(
        related="company_id.channel_cover_days", readonly=False
    )
