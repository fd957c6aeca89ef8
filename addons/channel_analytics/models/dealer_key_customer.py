from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.dealer_customer import CUSTOMER_TYPES

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
RFM_SEGMENTS = [
    ("new", "New"),
    ("champion", "Champion"),
    ("loyal", "Loyal"),
    ("at_risk", "At Risk"),
    ("lost", "Lost"),
    ("attention", "Needs Attention"),
]
TRENDS = [
    ("up", "Growing"),
    ("flat", "Steady"),
    ("down", "Falling"),
    ("new", "New"),
    ("gone", "Stopped"),
]
# Recency score (R) by days since the last purchase: up to 30 days scores 5,
# up to 60 4, up to 90 3, up to 180 2, longer 1.
RECENCY_DAYS = (30, 60, 90, 180)
# Frequency score (F) by months with purchases out of 12: 10 or more scores 5,
# 7 or more 4, 4 or more 3, 2 or more 2, one month 1.
FREQUENCY_MONTHS = (10, 7, 4, 2)
# A customer whose first purchase of the 12 months is this recent is new.
NEW_DAYS = 90
# Trend: the last 3 months against the 3 before; within ±10 % is steady.
TREND_MONTHS = 3
TREND_STEADY = 10.0


class DealerKeyCustomer(models.Model):
    """A dealer's downstream customer, ranked by its sell-out over the 12
    months ending with a period's month: its ABC class (Pareto) among the
    dealer's customers and among all customers, its RFM scores and segment,
    and its trend.

    Rebuilt for the dealers of a company at once by
    ``_recompute_key_customers`` (monthly with the grades, or on demand): one
    INSERT … SELECT with window functions over the daily channel summary
    (posted sell-out net of returns) of the 12 months. The rules are in the
    module's readme.
    """

    _name = "dealer.key.customer"
    _description = "Key Customer"
    _order = "dealer_id, rank, id"
    _rec_name = "customer_id"
    # Written in bulk with SQL.
    _log_access = False

    dealer_id = fields.Many2one("res.partner", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_id = fields.Many2one("dealer.customer", readonly=True, index=True)
    customer_code = fields.Char(related="customer_id.code", string="Customer Code")
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    territory_id = fields.Many2one("dealer.territory", readonly=True)
    period = fields.Date(readonly=True, help="The last month counted (its first day).")
    date_to = fields.Date(string="As Of", readonly=True)
    amount = fields.Monetary(string="Sell-out", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    rank = fields.Integer(readonly=True, aggregator=None, help="Among the dealer's.")
    share = fields.Float(
        string="Share (%)", digits=(5, 2), readonly=True, aggregator="sum"
    )
    cumulative_share = fields.Float(
        string="Cumulative (%)",
        digits=(5, 2),
        readonly=True,
        aggregator=None,
        help="The share of the dealer's sell-out made by this customer and all "
        "the larger ones.",
    )
    abc_class = fields.Selection(ABC_CLASSES, string="ABC", readonly=True)
    rank_overall = fields.Integer(string="Overall Rank", readonly=True, aggregator=None)
    cumulative_share_overall = fields.Float(
        string="Overall Cumulative (%)", digits=(5, 2), readonly=True, aggregator=None
    )
    abc_class_overall = fields.Selection(
        ABC_CLASSES, string="Overall ABC", readonly=True
    )
    first_date = fields.Date(string="First Purchase", readonly=True)
    last_date = fields.Date(string="Last Purchase", readonly=True)
    recency_days = fields.Integer(
        string="Days Since Last", readonly=True, aggregator="avg"
    )
    active_months = fields.Integer(
        string="Months Bought", readonly=True, aggregator="avg"
    )
    r_score = fields.Integer(string="R", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="F", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="M", readonly=True, aggregator="avg")
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="Segment", readonly=True)
    amount_recent = fields.Monetary(string="Last 3 Months", readonly=True)
    amount_previous = fields.Monetary(string="3 Months Before", readonly=True)
    trend = fields.Float(
        string="Trend (%)",
        digits=(16, 1),
        readonly=True,
        aggregator=None,
        help="The last 3 months against the 3 before.",
    )
    trend_direction = fields.Selection(TRENDS, readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS dealer_key_customer_company_dealer
                    ON dealer_key_customer (company_id, dealer_id)
                """
            )
        )

    def action_recompute(self):
        """Rank the downstream customers of the dealers the user looks after."""
        self.env["dealer.grade"].check_access("create")
        dealers = self.env["res.partner"].search(
            self.env["dealer.grade"]._dealer_domain()
        )
        # The sell-out lines are read with SQL, for the dealers chosen above
        # within the user's rights.
        self.sudo()._recompute_key_customers(dealers=dealers.sudo())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The key customers were ranked again."),
                # show the new figures in the list the button is on
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _recompute_key_customers(self, dealers=None, period=None):
        """Rank the customers of ``dealers`` (all of the current company's
        when None) over the 12 months ending with the month of ``period``
        (last month when None), replacing their earlier ranking; then rank all
        the company's customers together (the overall columns)."""
        company = self.env.company
        window = self.env["dealer.grade"]._grade_window(period)
        self.env.flush_all()
        dealer_filter = SQL("TRUE")
        if dealers is not None:
            if not dealers:
                return
            dealer_filter = SQL("dealer_id = ANY(%s)", dealers.ids)
        self.env.cr.execute(
            SQL(
                "DELETE FROM dealer_key_customer WHERE company_id = %s AND %s",
                company.id,
                dealer_filter,
            )
        )
        self.env.cr.execute(self._insert_sql(company, window, dealer_filter))
        self.env.cr.execute(self._overall_sql(company))
        self.invalidate_model()

    @api.model
    def _insert_sql(self, company, window, dealer_filter):
        date_to = window["date_to"]
        recent_from = window["period"] - relativedelta(months=TREND_MONTHS - 1)
        previous_from = recent_from - relativedelta(months=TREND_MONTHS)
        a_share = company.dealer_abc_a_share
        b_share = a_share + company.dealer_abc_b_share
        return SQL(
            """
            WITH sales AS (
                SELECT flow.dealer_id, flow.customer_id,
                       SUM(flow.net_amount) AS amount, SUM(flow.net_qty) AS quantity,
                       COUNT(DISTINCT date_trunc('month', flow.date)) AS active_months,
                       MIN(flow.date) AS first_date, MAX(flow.date) AS last_date,
                       COALESCE(SUM(flow.net_amount) FILTER (
                           WHERE flow.date >= %(recent_from)s), 0) AS amount_recent,
                       COALESCE(SUM(flow.net_amount) FILTER (
                           WHERE flow.date >= %(previous_from)s
                             AND flow.date < %(recent_from)s), 0) AS amount_previous
                  FROM channel_flow_daily flow
                 WHERE flow.company_id = %(company)s AND %(dealer_filter)s
                   AND flow.customer_id IS NOT NULL
                   AND flow.date BETWEEN %(date_from)s AND %(date_to)s
                   AND (flow.net_amount <> 0 OR flow.net_qty <> 0)
                 GROUP BY flow.dealer_id, flow.customer_id
                HAVING SUM(flow.net_amount) > 0
            ), ranked AS (
                SELECT sales.*,
                       %(date_to)s - sales.last_date AS recency_days,
                       ROW_NUMBER() OVER by_amount AS rank,
                       SUM(amount) OVER by_amount AS running,
                       SUM(amount) OVER (PARTITION BY dealer_id) AS total,
                       -- M: the quintile of the customer's sell-out among the
                       -- dealer's customers, ⌈5 × share selling no more⌉, in
                       -- integers (5 × 0.6 is not 3 in floating point)
                       (5 * COUNT(*) OVER (PARTITION BY dealer_id ORDER BY amount)
                        + COUNT(*) OVER (PARTITION BY dealer_id) - 1)
                       / COUNT(*) OVER (PARTITION BY dealer_id) AS m_score
                  FROM sales
                WINDOW by_amount AS (PARTITION BY dealer_id
                                     ORDER BY amount DESC, customer_id
                                     ROWS UNBOUNDED PRECEDING)
            ), scored AS (
                SELECT ranked.*,
                       CASE WHEN recency_days <= %(r5)s THEN 5
                            WHEN recency_days <= %(r4)s THEN 4
                            WHEN recency_days <= %(r3)s THEN 3
                            WHEN recency_days <= %(r2)s THEN 2
                            ELSE 1 END AS r_score,
                       CASE WHEN active_months >= %(f5)s THEN 5
                            WHEN active_months >= %(f4)s THEN 4
                            WHEN active_months >= %(f3)s THEN 3
                            WHEN active_months >= %(f2)s THEN 2
                            ELSE 1 END AS f_score
                  FROM ranked
            )
            INSERT INTO dealer_key_customer
                   (dealer_id, company_id, customer_id, customer_type, territory_id,
                    period, date_to, amount, quantity, rank, share,
                    cumulative_share, abc_class, first_date, last_date,
                    recency_days, active_months, r_score, f_score, m_score,
                    rfm_segment, amount_recent, amount_previous, trend,
                    trend_direction)
            SELECT s.dealer_id, %(company)s, s.customer_id, customer.customer_type,
                   customer.territory_id, %(period)s, %(date_to)s, s.amount,
                   s.quantity, s.rank, 100 * s.amount / s.total,
                   100 * s.running / s.total,
                   CASE WHEN s.running - s.amount < %(a_share)s * s.total / 100
                        THEN 'A'
                        WHEN s.running - s.amount < %(b_share)s * s.total / 100
                        THEN 'B'
                        ELSE 'C' END,
                   s.first_date, s.last_date, s.recency_days, s.active_months,
                   s.r_score, s.f_score, s.m_score,
                   CASE WHEN s.first_date > %(date_to)s - %(new_days)s THEN 'new'
                        WHEN s.r_score >= 4 AND s.f_score >= 4 AND s.m_score >= 4
                        THEN 'champion'
                        WHEN s.r_score >= 3 AND s.f_score >= 3 THEN 'loyal'
                        WHEN s.r_score <= 2 AND (s.f_score >= 3 OR s.m_score >= 4)
                        THEN 'at_risk'
                        WHEN s.r_score = 1 THEN 'lost'
                        ELSE 'attention' END,
                   s.amount_recent, s.amount_previous,
                   CASE WHEN s.amount_previous > 0
                        THEN 100 * (s.amount_recent - s.amount_previous)
                             / s.amount_previous END,
                   CASE WHEN s.amount_previous <= 0 AND s.amount_recent > 0 THEN 'new'
                        WHEN s.amount_previous <= 0 THEN NULL
                        WHEN s.amount_recent <= 0 THEN 'gone'
                        WHEN s.amount_recent > s.amount_previous
                             * (1 + %(steady)s / 100) THEN 'up'
                        WHEN s.amount_recent < s.amount_previous
                             * (1 - %(steady)s / 100) THEN 'down'
                        ELSE 'flat' END
              FROM scored s
              JOIN dealer_customer customer ON customer.id = s.customer_id
            """,
            company=company.id,
            dealer_filter=dealer_filter,
            period=window["period"],
            date_from=window["date_from"],
            date_to=date_to,
            recent_from=recent_from,
            previous_from=previous_from,
            a_share=a_share,
            b_share=b_share,
            r5=RECENCY_DAYS[0],
            r4=RECENCY_DAYS[1],
            r3=RECENCY_DAYS[2],
            r2=RECENCY_DAYS[3],
            f5=FREQUENCY_MONTHS[0],
            f4=FREQUENCY_MONTHS[1],
            f3=FREQUENCY_MONTHS[2],
            f2=FREQUENCY_MONTHS[3],
            new_days=NEW_DAYS,
            steady=TREND_STEADY,
        )

    @api.model
    def _overall_sql(self, company):
        """Rank every customer of the company's dealers together."""
        a_share = company.dealer_abc_a_share
        b_share = a_share + company.dealer_abc_b_share
        return SQL(
            """
            UPDATE dealer_key_customer k
               SET rank_overall = r.rank,
                   cumulative_share_overall = 100 * r.running / r.total,
                   abc_class_overall =
                       CASE WHEN r.running - k.amount < %(a_share)s * r.total / 100
                            THEN 'A'
                            WHEN r.running - k.amount < %(b_share)s * r.total / 100
                            THEN 'B'
                            ELSE 'C' END
              FROM (SELECT id,
                           ROW_NUMBER() OVER by_amount AS rank,
                           SUM(amount) OVER by_amount AS running,
                           SUM(amount) OVER () AS total
                      FROM dealer_key_customer
                     WHERE company_id = %(company)s
                    WINDOW by_amount AS (ORDER BY amount DESC, id
                                         ROWS UNBOUNDED PRECEDING)) r
             WHERE k.id = r.id
            """,
            company=company.id,
            a_share=a_share,
            b_share=b_share,
        )
