from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.osv import expression

from .dealer_grade import GRADES

# Months of a dealer's sell-out trend in the portal.
DEALER_TREND_MONTHS = 12
# Products listed in a dealer's stock cover.
COVER_PRODUCTS = 20
# Key customers on a dealer's analytics page.
KEY_CUSTOMERS_ON_PORTAL = 10
# Customers gone quiet listed below them, besides those among the top ones.
KEY_CUSTOMERS_AT_RISK_ON_PORTAL = 5


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_grade_id = fields.Many2one(
        "dealer.grade",
        string="Current Grade Record",
        compute="_compute_dealer_grade",
        groups="dealer_portal.group_channel_user",
    )
    dealer_grade = fields.Selection(
        GRADES,
        compute="_compute_dealer_grade",
        search="_search_dealer_grade",
        help="The dealer's latest grade in the current company.",
    )

    def _compute_dealer_grade(self):
        grades = self.env["dealer.grade"].search(
            [
                ("dealer_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
            ]
        )
        by_dealer = {grade.dealer_id.id: grade for grade in grades}
        for partner in self:
            grade = by_dealer.get(partner.id, self.env["dealer.grade"])
            partner.dealer_grade_id = grade
            partner.dealer_grade = grade.grade

    def _search_dealer_grade(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = list(value) if isinstance(value, list | tuple) else [value]
        Grade = self.env["dealer.grade"]
        current = [
            ("company_id", "=", self.env.company.id),
            ("is_current", "=", True),
        ]
        graded = Grade._search(
            current + [("grade", "in", [grade for grade in values if grade])]
        )
        domain = [("id", "in", graded.subselect("dealer_id"))]
        if not all(values):  # also the partners without a grade
            any_grade = Grade._search(current)
            domain = expression.OR(
                [domain, [("id", "not in", any_grade.subselect("dealer_id"))]]
            )
        return domain if operator in ("=", "in") else ["!", *domain]

    def action_view_dealer_grades(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "channel_analytics.dealer_grade_action"
        )
        action["domain"] = [("dealer_id", "=", self.id)]
        action["context"] = {"search_default_dealer_id": self.id}
        return action

    def _dealer_grading_portal_values(self):
        """What the dealer's analytics page shows of its grade, key customers
        and regional benchmarks: the values of the templates
        ``channel_analytics.portal_dealer_grade``, ``portal_dealer_key_customers``
        and ``portal_dealer_benchmarks``.

        Read with the caller's rights: a dealer's portal user reads its own
        grade and customers only; the regional medians are the one figure
        about other dealers, and only when enough dealers make them.
        """
        self.ensure_one()
        grade = self.env["dealer.grade"].search(
            [
                ("dealer_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
            ],
            limit=1,
        )
        Key = self.env["dealer.key.customer"]
        domain = [("dealer_id", "=", self.id), ("company_id", "=", self.env.company.id)]
        key_customers = Key.search(domain, limit=KEY_CUSTOMERS_ON_PORTAL)
        at_risk = Key.search(
            domain
            + [
                ("rfm_segment", "in", ("at_risk", "lost")),
                ("id", "not in", key_customers.ids),
            ],
            limit=KEY_CUSTOMERS_AT_RISK_ON_PORTAL,
            order="amount desc, id",
        )
        return {
            "dealer_grade": grade,
            "dealer_key_customers": key_customers,
            "dealer_customers_at_risk": at_risk,
            "dealer_benchmarks": grade._benchmarks() if grade else [],
        }

    def _channel_analytics_values(self, funds):
        """The figures of a dealer's own analytics page, read with the
        caller's rights (a portal user reads only its dealer's summaries).

        :param funds: the dealer's market funds, as its funds page lists them
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        return {
            "today": today,
            "currency": self.env.company.currency_id,
            **self._channel_sellout_trend(today),
            "cover": self._channel_stock_cover(today),
            **self._channel_fund_use(funds, today),
        }

    def _channel_sellout_trend(self, today):
        """Net sell-out and sell-in by month, the last 12 months against the
        12 before."""
        first = today.replace(day=1) - relativedelta(months=DEALER_TREND_MONTHS - 1)
        before = first - relativedelta(months=12)
        rows = self.env["channel.flow.monthly"]._read_group(
            [
                ("dealer_id", "=", self.id),
                ("date", ">=", before),
                ("date", "<=", today),
            ],
            ["date:month"],
            ["net_amount:sum", "net_qty:sum", "sellin_amount:sum", "sellin_qty:sum"],
        )
        by_month = {row[0]: row[1:] for row in rows}
        trend = []
        for index in range(DEALER_TREND_MONTHS):
            month = first + relativedelta(months=index)
            net, net_qty, sellin, sellin_qty = by_month.get(month, (0.0,) * 4)
            trend.append(
                {
                    "month": month,
                    "net_amount": net,
                    "net_qty": net_qty,
                    "sellin_amount": sellin,
                    "sellin_qty": sellin_qty,
                }
            )
        previous = sum(values[0] for month, values in by_month.items() if month < first)
        total = sum(month["net_amount"] for month in trend)
        sold = sum(month["net_qty"] for month in trend)
        bought = sum(month["sellin_qty"] for month in trend)
        peak = max([month["net_amount"] for month in trend] + [0.0])
        return {
            "trend": trend,
            "trend_peak": peak,
            "net_12": total,
            "net_previous_12": previous,
            "growth": (total - previous) / previous if previous > 0 else None,
            "sellin_12": sum(month["sellin_amount"] for month in trend),
            "sell_through": sold / bought if bought > 0 else None,
        }

    def _channel_stock_cover(self, today):
        """Stock on hand per product and its days of inventory, the products
        with the most days first (those whose stock moves slowest)."""
        window = self.env.company.channel_cover_days or 90
        stock = self.env["dealer.stock.daily"]._stock_on_hand(self, today, by_lot=False)
        sold = dict(
            self.env["channel.flow.daily"]._read_group(
                [
                    ("dealer_id", "=", self.id),
                    ("date", ">", today - relativedelta(days=window)),
                    ("date", "<=", today),
                ],
                ["product_id"],
                ["net_qty:sum"],
            )
        )
        sold = {product.id: qty for product, qty in sold.items()}
        # A dealer may not read product records; it knows the names of what it
        # holds and sells.
        products = (
            self.env["product.product"]
            .sudo()
            .browse({product for product, _lot in stock} | set(sold))
        )
        rows = []
        for product in products:
            qty = stock.get((product.id, False), 0.0)
            sold_qty = sold.get(product.id, 0.0)
            if not qty and not sold_qty:
                continue
            daily = sold_qty / window
            rows.append(
                {
                    "product": product.display_name,
                    "stock_qty": qty,
                    "sold_qty": sold_qty,
                    "daily": daily,
                    "days": qty / daily if daily > 0 else None,
                }
            )
        rows.sort(key=lambda row: (row["days"] is not None, -(row["days"] or 0)))
        return {"window": window, "rows": rows[:COVER_PRODUCTS]}

    def _channel_fund_use(self, funds, today):
        """What the dealer's funds hold and what its claims of this year
        brought: spend, sell-out in their windows and ROI."""
        claims = self.env["dealer.expense.claim"].search(
            [
                ("dealer_id", "=", self.id),
                ("state", "in", ("approved", "written_off")),
                ("date_from", ">=", today.replace(month=1, day=1)),
            ],
            order="date_from desc, id desc",
        )
        figures = claims._roi_figures()
        rows = []
        for claim in claims:
            row = figures[claim.id]
            incremental = row["sellout_amount"] - row["baseline_amount"]
            rows.append(
                {
                    "claim": claim,
                    "spend": row["spend"],
                    "sellout": row["sellout_amount"],
                    "incremental": incremental,
                    "roi": incremental / row["spend"] if row["spend"] else None,
                }
            )
        spend = sum(row["spend"] for row in rows)
        incremental = sum(row["incremental"] for row in rows)
        sellout = sum(row["sellout"] for row in rows)
        return {
            "funds": funds,
            "fund_allocated": sum(funds.mapped("allocated_amount")),
            "fund_committed": sum(funds.mapped("committed_amount")),
            "fund_consumed": sum(funds.mapped("consumed_amount")),
            "fund_available": sum(funds.mapped("available_amount")),
            "claims": rows,
            "claims_spend": spend,
            "claims_roi": incremental / spend if spend else None,
            "claims_cost_ratio": spend / sellout if sellout else None,
        }
