from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_roi_baseline = fields.Selection(
        related="company_id.channel_roi_baseline", readonly=False
    )
    channel_cover_days = fields.Integer(
        related="company_id.channel_cover_days", readonly=False
    )
    dealer_grade_weight_volume = fields.Float(
        related="company_id.dealer_grade_weight_volume", readonly=False
    )
    dealer_grade_weight_growth = fields.Float(
        related="company_id.dealer_grade_weight_growth", readonly=False
    )
    dealer_grade_weight_sell_through = fields.Float(
        related="company_id.dealer_grade_weight_sell_through", readonly=False
    )
    dealer_grade_weight_compliance = fields.Float(
        related="company_id.dealer_grade_weight_compliance", readonly=False
    )
    dealer_grade_weight_payment = fields.Float(
        related="company_id.dealer_grade_weight_payment", readonly=False
    )
    dealer_grade_weight_roi = fields.Float(
        related="company_id.dealer_grade_weight_roi", readonly=False
    )
    dealer_grade_volume_target = fields.Float(
        related="company_id.dealer_grade_volume_target", readonly=False
    )
    dealer_grade_growth_target = fields.Float(
        related="company_id.dealer_grade_growth_target", readonly=False
    )
    dealer_grade_sell_through_target = fields.Float(
        related="company_id.dealer_grade_sell_through_target", readonly=False
    )
    dealer_grade_diversion_weight = fields.Float(
        related="company_id.dealer_grade_diversion_weight", readonly=False
    )
    dealer_grade_overdue_tolerance = fields.Float(
        related="company_id.dealer_grade_overdue_tolerance", readonly=False
    )
    dealer_grade_roi_target = fields.Float(
        related="company_id.dealer_grade_roi_target", readonly=False
    )
    dealer_grade_threshold_a = fields.Float(
        related="company_id.dealer_grade_threshold_a", readonly=False
    )
    dealer_grade_threshold_b = fields.Float(
        related="company_id.dealer_grade_threshold_b", readonly=False
    )
    dealer_grade_threshold_c = fields.Float(
        related="company_id.dealer_grade_threshold_c", readonly=False
    )
    dealer_abc_a_share = fields.Float(
        related="company_id.dealer_abc_a_share", readonly=False
    )
    dealer_abc_b_share = fields.Float(
        related="company_id.dealer_abc_b_share", readonly=False
    )
