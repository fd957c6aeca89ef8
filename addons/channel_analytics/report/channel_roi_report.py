from odoo import fields, models
from odoo.tools import SQL

from .channel_flow_report import territory_places

CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("written_off", "Written Off"),
]


def claim_roi_sql(where):
    """Spend, sell-out and baseline of the claims matching ``where`` (SQL on
    alias ``claim``), one row each: ``claim_id, spend, sellout_amount,
    baseline_amount, baseline_from, baseline_to``.

    Sell-out is the net sell-out of the daily summary in the claim's scope: its
    dealer, activity window, and its products, customers and territory when it
    names them (as the claim's own ``_sellout_domain``). The baseline is the
    same scope over the company's baseline window: the preceding window of
    equal length, or the same window a year earlier.
    """
    scope = SQL(
        """
        flow.dealer_id = claim.dealer_id
        AND (NOT EXISTS (SELECT 1 FROM dealer_expense_claim_product_rel rel
                          WHERE rel.claim_id = claim.id)
             OR flow.product_id IN (SELECT rel.product_id
                                      FROM dealer_expense_claim_product_rel rel
                                     WHERE rel.claim_id = claim.id))
        AND (NOT EXISTS (SELECT 1 FROM dealer_expense_claim_customer_rel rel
                          WHERE rel.claim_id = claim.id)
             OR flow.customer_id IN (SELECT rel.customer_id
                                       FROM dealer_expense_claim_customer_rel rel
                                      WHERE rel.claim_id = claim.id))
        AND (claim.territory_id IS NULL
             OR flow.territory_id IN (
                SELECT inside.id
                  FROM dealer_territory inside
                  JOIN dealer_territory area ON area.id = claim.territory_id
                 WHERE starts_with(inside.parent_path, area.parent_path)))
        """
    )
    return SQL(
        """
        SELECT claim.id AS claim_id,
               CASE WHEN claim.state IN ('approved', 'written_off')
                    THEN COALESCE(claim.approved_amount, 0)
                    ELSE claim.requested_amount END AS spend,
               COALESCE(act.amount, 0) AS sellout_amount,
               COALESCE(base.amount, 0) AS baseline_amount,
               window_.base_from AS baseline_from,
               window_.base_to AS baseline_to
          FROM dealer_expense_claim claim
          JOIN res_company company ON company.id = claim.company_id
         CROSS JOIN LATERAL (
                SELECT CASE WHEN company.channel_roi_baseline = 'last_year'
                            THEN (claim.date_from - INTERVAL '1 year')::date
                            ELSE claim.date_from - (claim.date_to - claim.date_from + 1)
                       END AS base_from,
                       CASE WHEN company.channel_roi_baseline = 'last_year'
                            THEN (claim.date_to - INTERVAL '1 year')::date
                            ELSE claim.date_from - 1
                       END AS base_to
               ) window_
          LEFT JOIN LATERAL (
                SELECT SUM(flow.net_amount) AS amount
                  FROM channel_flow_daily flow
                 WHERE flow.date BETWEEN claim.date_from AND claim.date_to
                   AND %(scope)s
               ) act ON TRUE
          LEFT JOIN LATERAL (
                SELECT SUM(flow.net_amount) AS amount
                  FROM channel_flow_daily flow
                 WHERE flow.date BETWEEN window_.base_from AND window_.base_to
                   AND %(scope)s
               ) base ON TRUE
         WHERE %(where)s
        """,
        scope=scope,
        where=where,
    )


class ChannelRoiReport(models.Model):
    """Return on market spend, one row per claim but those rejected or
    cancelled (a draft shows what its dealer may expect); add the rows up by
    fund, programme, expense type, region or period and divide: ROI =
    incremental sell-out / spend, cost-to-revenue ratio (费效比) = spend /
    sell-out."""

    _name = "channel.roi.report"
    _description = "Expense ROI"
    _auto = False
    _rec_name = "claim_id"
    _order = "date desc, claim_id desc"
    _depends = {
        "dealer.expense.claim": [
            "state",
            "dealer_id",
            "fund_id",
            "programme_id",
            "expense_type_id",
            "territory_id",
            "date_from",
            "date_to",
            "requested_amount",
            "approved_amount",
            "product_ids",
            "customer_ids",
        ],
        "channel.flow.daily": ["dealer_id", "date", "net_amount"],
        "res.company": ["channel_roi_baseline"],
    }

    claim_id = fields.Many2one("dealer.expense.claim", readonly=True)
    state = fields.Selection(CLAIM_STATES, readonly=True)
    date = fields.Date(string="Activity Start", readonly=True)
    date_to = fields.Date(string="Activity End", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    fund_id = fields.Many2one("dealer.fund", readonly=True)
    programme_id = fields.Many2one("dealer.fund.programme", readonly=True)
    expense_type_id = fields.Many2one("dealer.expense.type", readonly=True)
    territory_id = fields.Many2one(
        "dealer.territory",
        readonly=True,
        help="The claim's territory, or else the dealer's first territory.",
    )
    province_id = fields.Many2one("dealer.territory", readonly=True)
    region_id = fields.Many2one("dealer.territory", readonly=True)
    spend = fields.Monetary(
        readonly=True, help="The approved amount; the requested one until approved."
    )
    sellout_amount = fields.Monetary(string="Sell-out", readonly=True)
    baseline_amount = fields.Monetary(string="Baseline", readonly=True)
    incremental_amount = fields.Monetary(string="Incremental Sell-out", readonly=True)
    roi = fields.Float(
        string="ROI",
        digits=(16, 2),
        readonly=True,
        aggregator=None,
        help="Incremental sell-out / spend.",
    )
    cost_revenue_ratio = fields.Float(
        string="Cost-to-Revenue Ratio",
        digits=(16, 4),
        readonly=True,
        aggregator=None,
        help="费效比: spend / sell-out.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT %(select)s
              FROM (%(figures)s) roi
              JOIN dealer_expense_claim claim ON claim.id = roi.claim_id
              JOIN res_company company ON company.id = claim.company_id
              LEFT JOIN (SELECT partner_id, MIN(territory_id) AS territory_id
                           FROM dealer_territory_partner_rel
                          GROUP BY partner_id) home
                     ON home.partner_id = claim.dealer_id
              LEFT JOIN (%(places)s) place
                     ON place.id = COALESCE(claim.territory_id, home.territory_id)
            """,
            select=self._select(),
            figures=claim_roi_sql(self._where()),
            places=territory_places(),
        )

    def _select(self):
        return SQL(
            """
            claim.id,
            claim.id AS claim_id,
            claim.state,
            claim.date_from AS date,
            claim.date_to,
            claim.company_id,
            company.currency_id,
            claim.dealer_id,
            claim.fund_id,
            claim.programme_id,
            claim.expense_type_id,
            COALESCE(claim.territory_id, home.territory_id) AS territory_id,
            place.province_id,
            place.region_id,
            roi.spend,
            roi.sellout_amount,
            roi.baseline_amount,
            roi.sellout_amount - roi.baseline_amount AS incremental_amount,
            (roi.sellout_amount - roi.baseline_amount) / NULLIF(roi.spend, 0) AS roi,
            roi.spend / NULLIF(roi.sellout_amount, 0) AS cost_revenue_ratio
            """
        )

    def _where(self):
        return SQL("claim.state IN ('draft', 'submitted', 'approved', 'written_off')")
