from odoo import fields, models

ROI_BASELINES = [
    ("previous", "Preceding window of equal length"),
    ("last_year", "Same window last year"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_roi_baseline = fields.Selection(
        ROI_BASELINES,
        string="ROI Baseline",
        required=True,
        default="previous",
        help="The sell-out an activity is compared with: that of the days just "
        "before it (as many as it lasts), or that of the same days a year "
        "earlier (for seasonal goods).",
    )
    channel_cover_days = fields.Integer(
        string="Stock Cover Window (days)",
        required=True,
        default=90,
        help="Days of inventory divide a dealer's stock by its average daily net "
        "sell-out over this many days up to today.",
    )
