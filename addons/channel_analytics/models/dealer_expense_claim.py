from odoo import api, fields, models
from odoo.tools import SQL

from ..report.channel_roi_report import claim_roi_sql


class DealerExpenseClaim(models.Model):
    _inherit = "dealer.expense.claim"

    roi_spend = fields.Monetary(
        string="Spend",
        compute="_compute_roi",
        compute_sudo=True,
        help="The approved amount; the requested one until approved.",
    )
    roi_sellout_amount = fields.Monetary(
        string="Sell-out in Window", compute="_compute_roi", compute_sudo=True
    )
    roi_baseline_from = fields.Date(
        string="Baseline From", compute="_compute_roi", compute_sudo=True
    )
    roi_baseline_to = fields.Date(
        string="Baseline To", compute="_compute_roi", compute_sudo=True
    )
    roi_baseline_amount = fields.Monetary(
        string="Baseline Sell-out", compute="_compute_roi", compute_sudo=True
    )
    roi_incremental_amount = fields.Monetary(
        string="Incremental Sell-out", compute="_compute_roi", compute_sudo=True
    )
    roi = fields.Float(
        string="ROI",
        digits=(16, 2),
        compute="_compute_roi",
        compute_sudo=True,
        help="Incremental sell-out / spend.",
    )
    cost_revenue_ratio = fields.Float(
        string="Cost-to-Revenue Ratio",
        digits=(16, 4),
        compute="_compute_roi",
        compute_sudo=True,
        help="费效比: spend / sell-out in the window.",
    )

    @api.depends(
        "state",
        "dealer_id",
        "date_from",
        "date_to",
        "territory_id",
        "product_ids",
        "customer_ids",
        "requested_amount",
        "approved_amount",
        "company_id.channel_roi_baseline",
    )
    def _compute_roi(self):
        saved = self.filtered(lambda claim: isinstance(claim.id, int))
        figures = saved._roi_figures()
        for claim in self:
            row = figures.get(claim.id)
            if not row:
                claim.roi_spend = claim.roi_sellout_amount = 0.0
                claim.roi_baseline_amount = claim.roi_incremental_amount = 0.0
                claim.roi = claim.cost_revenue_ratio = 0.0
                claim.roi_baseline_from = claim.roi_baseline_to = False
                continue
            incremental = row["sellout_amount"] - row["baseline_amount"]
            claim.roi_spend = row["spend"]
            claim.roi_sellout_amount = row["sellout_amount"]
            claim.roi_baseline_from = row["baseline_from"]
            claim.roi_baseline_to = row["baseline_to"]
            claim.roi_baseline_amount = row["baseline_amount"]
            claim.roi_incremental_amount = incremental
            claim.roi = incremental / row["spend"] if row["spend"] else 0.0
            claim.cost_revenue_ratio = (
                row["spend"] / row["sellout_amount"] if row["sellout_amount"] else 0.0
            )

    def _roi_figures(self):
        """``{claim id: {spend, sellout_amount, baseline_amount, baseline_from,
        baseline_to}}`` from the channel summaries, as the ROI report has them."""
        if not self:
            return {}
        self.flush_recordset()
        self.env["channel.flow.daily"].flush_model()
        self.env["res.company"].flush_model(["channel_roi_baseline"])
        rows = self.env.execute_query_dict(
            claim_roi_sql(SQL("claim.id = ANY(%s)", self.ids))
        )
        return {row["claim_id"]: row for row in rows}
