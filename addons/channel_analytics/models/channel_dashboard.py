from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..report.channel_flow_report import territory_places

# Dealers listed at each end of the ranking.
RANKED = 10
# Months of the trend chart.
TREND_MONTHS = 24


class ChannelDashboard(models.AbstractModel):
    """The channel manager's dashboard: one call returns every figure, each
    section from one or two grouped reads of the monthly summary (or of the
    issues and claims), with the caller's record rules: territory-scoped staff
    see their territories only."""

    _name = "channel.dashboard"
    _description = "Channel Dashboard"

    @api.model
    def get_dashboard_data(self):
        self._check_dashboard_access()
        today = fields.Date.context_today(self)
        values = {
            "today": fields.Date.to_string(today),
            "currency": self._dashboard_currency(),
        }
        for section in self._dashboard_sections():
            values[section] = getattr(self, f"_dashboard_{section}")(today)
        return values

    def _dashboard_sections(self):
        return ["months", "dealers", "regions", "categories", "diversion", "claims"]

    def _check_dashboard_access(self):
        user = self.env.user
        if not (
            user.has_group("dealer_portal.group_channel_user")
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(_("The channel dashboard is for channel staff."))

    def _dashboard_currency(self):
        currency = self.env.company.currency_id
        return {"symbol": currency.symbol, "position": currency.position}

    # -- sections ---------------------------------------------------------------

    def _dashboard_months(self, today):
        """Month by month since the start of the trend: net sell-out, returns,
        sell-in; and channel stock (all movements ever)."""
        first = today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
        Monthly = self.env["channel.flow.monthly"]
        rows = Monthly._read_group(
            [("date", ">=", first), ("date", "<=", today)],
            ["date:month"],
            [
                "net_amount:sum",
                "net_qty:sum",
                "return_amount:sum",
                "sellin_amount:sum",
                "sellin_qty:sum",
            ],
        )
        by_month = {row[0]: row[1:] for row in rows}
        [(stock,)] = Monthly._read_group([("date", "<=", today)], [], ["stock_qty:sum"])
        months = []
        for index in range(TREND_MONTHS):
            month = first + relativedelta(months=index)
            net, net_qty, returns, sellin, sellin_qty = by_month.get(
                month, (0.0, 0.0, 0.0, 0.0, 0.0)
            )
            months.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "net_amount": net,
                    "net_qty": net_qty,
                    "return_amount": returns,
                    "sellin_amount": sellin,
                    "sellin_qty": sellin_qty,
                }
            )
        last3 = months[-3:]
        sold_90 = sum(month["net_qty"] for month in last3)
        days_90 = (today - fields.Date.from_string(last3[0]["month"] + "-01")).days + 1
        year = months[-12:]
        sold_12 = sum(month["net_qty"] for month in year)
        bought_12 = sum(month["sellin_qty"] for month in year)
        this_year = today.strftime("%Y")
        last_year = str(today.year - 1)
        this_ytd = [m for m in months if m["month"][:4] == this_year]
        last_ytd = [
            m
            for m in months
            if m["month"][:4] == last_year and m["month"][5:] <= today.strftime("%m")
        ]
        return {
            "trend": months,
            "kpis": {
                "month_net": months[-1]["net_amount"],
                "previous_month_net": months[-2]["net_amount"],
                "month_sellin": months[-1]["sellin_amount"],
                "ytd_net": sum(m["net_amount"] for m in this_ytd),
                "last_ytd_net": sum(m["net_amount"] for m in last_ytd),
                "ytd_sellin": sum(m["sellin_amount"] for m in this_ytd),
                "ytd_returns": sum(m["return_amount"] for m in this_ytd),
                "sell_through": sold_12 / bought_12 if bought_12 else None,
                "stock_qty": stock or 0.0,
                "days_of_inventory": (
                    (stock or 0.0) / (sold_90 / days_90) if sold_90 > 0 else None
                ),
            },
        }

    def _dashboard_dealers(self, today):
        """Net sell-out of the last 12 months per dealer, against the 12 before:
        the top and the bottom of the ranking, with their growth."""
        current, previous = self._dealer_sellout(today)
        ranking = sorted(current.items(), key=lambda item: item[1], reverse=True)
        dealers = self.env["res.partner"].browse(
            [dealer for dealer, _net in ranking[:RANKED] + ranking[-RANKED:]]
        )
        names = {dealer.id: dealer.display_name for dealer in dealers}

        def entry(dealer_id, net):
            before = previous.get(dealer_id, 0.0)
            return {
                "id": dealer_id,
                "name": names.get(dealer_id, ""),
                "net_amount": net,
                "growth": (net - before) / before if before > 0 else None,
            }

        bottom = ranking[-RANKED:] if len(ranking) > RANKED else []
        return {
            "count": len(ranking),
            "top": [entry(*item) for item in ranking[:RANKED]],
            "bottom": [entry(*item) for item in reversed(bottom)],
        }

    def _dashboard_regions(self, today):
        """Net sell-out of the last 12 months per region of the dealers."""
        current, previous = self._dealer_sellout(today)
        regions = self._dealer_regions(list(current) + list(previous))
        totals = {}
        for source, key in ((current, "net_amount"), (previous, "previous")):
            for dealer_id, net in source.items():
                region = regions.get(dealer_id) or 0
                totals.setdefault(region, {"net_amount": 0.0, "previous": 0.0})
                totals[region][key] += net
        # Staff scoped to a province still see the name of its region.
        names = dict(
            self.env["dealer.territory"]
            .sudo()
            .browse([region for region in totals if region])
            .mapped(lambda territory: (territory.id, territory.name))
        )
        result = [
            {
                "id": region,
                "name": names.get(region) or _("Unplaced"),
                **figures,
            }
            for region, figures in totals.items()
        ]
        return sorted(result, key=lambda row: row["net_amount"], reverse=True)

    def _dashboard_categories(self, today):
        """Net sell-out of the last 12 months per product category."""
        start = today.replace(day=1) - relativedelta(months=11)
        rows = self.env["channel.flow.category"]._read_group(
            [("date", ">=", start), ("date", "<=", today)],
            ["categ_id"],
            ["net_amount:sum"],
        )
        result = [
            {"id": categ.id, "name": categ.display_name, "net_amount": net}
            for categ, net in rows
            if net
        ]
        return sorted(result, key=lambda row: row["net_amount"], reverse=True)

    def _dashboard_diversion(self, today):
        """Diversion (串货) suspicions of the last 90 days: how many, how many
        still open, and the dealers with most of them."""
        Issue = self.env["dealer.sellout.issue"]
        if not Issue.has_access("read"):
            return {}
        domain = [
            ("rule", "=", "territory"),
            ("date", ">", today - relativedelta(days=90)),
        ]
        by_state = dict(Issue._read_group(domain, ["state"], ["__count"]))
        by_dealer = Issue._read_group(
            domain + [("state", "=", "open")],
            ["dealer_id"],
            ["__count"],
            order="__count desc",
            limit=5,
        )
        return {
            "total": sum(by_state.values()),
            "open": by_state.get("open", 0),
            "dealers": [
                {"id": dealer.id, "name": dealer.display_name, "count": count}
                for dealer, count in by_dealer
            ],
        }

    def _dashboard_claims(self, today):
        """Claims by state this year, and the ROI of those approved."""
        Claim = self.env["dealer.expense.claim"]
        if not Claim.has_access("read"):
            return {}
        start = today.replace(month=1, day=1)
        domain = [("date_from", ">=", start)]
        rows = Claim._read_group(
            domain,
            ["state"],
            ["__count", "requested_amount:sum", "approved_amount:sum"],
        )
        labels = dict(Claim._fields["state"]._description_selection(self.env))
        [(spend, sellout, incremental)] = self.env["channel.roi.report"]._read_group(
            [("date", ">=", start), ("state", "in", ("approved", "written_off"))],
            [],
            ["spend:sum", "sellout_amount:sum", "incremental_amount:sum"],
        )
        return {
            "states": [
                {
                    "state": state,
                    "name": labels.get(state, state),
                    "count": count,
                    "requested_amount": requested,
                    "approved_amount": approved,
                }
                for state, count, requested, approved in rows
            ],
            "to_approve": sum(row[1] for row in rows if row[0] == "submitted"),
            "spend": spend,
            "roi": incremental / spend if spend else None,
            "cost_revenue_ratio": spend / sellout if sellout else None,
        }

    # -- helpers ----------------------------------------------------------------

    def _dealer_sellout(self, today):
        """``({dealer id: net sell-out of the last 12 months}, {… 12 before})``."""
        start = today.replace(day=1) - relativedelta(months=11)
        before = start - relativedelta(months=12)
        Monthly = self.env["channel.flow.monthly"]
        result = tuple(
            dict(
                Monthly._read_group(
                    [("date", ">=", date_from), ("date", "<", date_to)],
                    ["dealer_id"],
                    ["net_amount:sum"],
                )
            )
            for date_from, date_to in (
                (start, today + relativedelta(days=1)),
                (before, start),
            )
        )
        return tuple(
            {dealer.id: net for dealer, net in figures.items()} for figures in result
        )

    def _dealer_regions(self, dealer_ids):
        """``{dealer id: region id}`` by the dealer's first territory."""
        if not dealer_ids:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT home.partner_id, place.region_id
                  FROM (SELECT partner_id, MIN(territory_id) AS territory_id
                          FROM dealer_territory_partner_rel
                         WHERE partner_id = ANY(%s)
                         GROUP BY partner_id) home
                  JOIN (%s) place ON place.id = home.territory_id
                """,
                list(set(dealer_ids)),
                territory_places(),
            )
        )
        return dict(rows)
