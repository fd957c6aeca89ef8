from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    # Dealer grading: the scorecard's weights (relative: they need not add up
    # to 100) and what scores full points.
    dealer_grade_weight_volume = fields.Float(string="Volume Weight", default=25.0)
    dealer_grade_weight_growth = fields.Float(string="Growth Weight", default=15.0)
    dealer_grade_weight_sell_through = fields.Float(
        string="Sell-through Weight", default=15.0
    )
    dealer_grade_weight_compliance = fields.Float(
        string="Compliance Weight", default=20.0
    )
    dealer_grade_weight_payment = fields.Float(
        string="Payment Discipline Weight", default=15.0
    )
    dealer_grade_weight_roi = fields.Float(string="Expense ROI Weight", default=10.0)
    dealer_grade_volume_target = fields.Float(
        string="Volume for Full Points",
        default=1000000.0,
        help="Sell-out over 12 months that scores 100 points; less scores in "
        "proportion.",
    )
    dealer_grade_growth_target = fields.Float(
        string="Growth for Full Points (%)",
        default=20.0,
        help="Growth on the 12 months before that scores 100 points; no growth "
        "scores 50, a fall as large scores 0.",
    )
    dealer_grade_sell_through_target = fields.Float(
        string="Sell-through for Full Points (%)",
        default=90.0,
        help="Units sold out of units received that score 100 points.",
    )
    dealer_grade_diversion_weight = fields.Float(
        string="Diversion Counts",
        default=3.0,
        help="A line with a blocking diversion issue counts as this many lines "
        "with other blocking issues.",
    )
    dealer_grade_overdue_tolerance = fields.Float(
        string="Overdue Scoring Zero (%)",
        default=10.0,
        help="Overdue receivables, as a share of the amount invoiced over 12 "
        "months, that score 0 points; nothing overdue scores 100.",
    )
    dealer_grade_roi_target = fields.Float(
        string="ROI for Full Points",
        default=3.0,
        help="Incremental sell-out per unit of market spend that scores 100 points.",
    )
    dealer_grade_threshold_a = fields.Float(string="Grade A From", default=85.0)
    dealer_grade_threshold_b = fields.Float(string="Grade B From", default=70.0)
    dealer_grade_threshold_c = fields.Float(string="Grade C From", default=55.0)
    # Key customers: ABC classes by share of cumulative sell-out.
    dealer_abc_a_share = fields.Float(
        string="Class A Share (%)",
        default=80.0,
        help="The best customers making this share of the sell-out are class A.",
    )
    dealer_abc_b_share = fields.Float(
        string="Class B Share (%)",
        default=15.0,
        help="The next customers making this share are class B; the rest C.",
    )

    @api.constrains(
        "dealer_grade_threshold_a",
        "dealer_grade_threshold_b",
        "dealer_grade_threshold_c",
    )
    def _check_dealer_grade_thresholds(self):
        for company in self:
            if not (
                company.dealer_grade_threshold_a
                >= company.dealer_grade_threshold_b
                >= company.dealer_grade_threshold_c
            ):
                raise ValidationError(_("Grade thresholds must fall from A to C."))

    @api.constrains("dealer_abc_a_share", "dealer_abc_b_share")
    def _check_dealer_abc_shares(self):
        for company in self:
            a_share, b_share = company.dealer_abc_a_share, company.dealer_abc_b_share
            if a_share <= 0 or b_share < 0 or a_share + b_share > 100:
                raise ValidationError(
                    _(
                        "Class A's share must be above 0 %, and A's and B's "
                        "together at most 100 %."
                    )
                )

    def _dealer_grade_settings(self):
        """The scorecard's weights and targets, by metric."""
        self.ensure_one()
        return {
            "weights": {
                "volume": self.dealer_grade_weight_volume,
                "growth": self.dealer_grade_weight_growth,
                "sell_through": self.dealer_grade_weight_sell_through,
                "compliance": self.dealer_grade_weight_compliance,
                "payment": self.dealer_grade_weight_payment,
                "roi": self.dealer_grade_weight_roi,
            },
            "targets": {
                "volume": self.dealer_grade_volume_target,
                "growth": self.dealer_grade_growth_target,
                "sell_through": self.dealer_grade_sell_through_target,
                "compliance": self.dealer_grade_diversion_weight,
                "payment": self.dealer_grade_overdue_tolerance,
                "roi": self.dealer_grade_roi_target,
            },
        }

    def _dealer_grade_for(self, score):
        """The grade a score earns under this company's thresholds."""
        self.ensure_one()
        if score >= self.dealer_grade_threshold_a:
            return "A"
        if score >= self.dealer_grade_threshold_b:
            return "B"
        if score >= self.dealer_grade_threshold_c:
            return "C"
        return "D"
