from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

FUND_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("closed", "Closed"),
]
ACCRUAL_BASES = [
    ("sell_in", "Invoiced Sell-in"),
    ("sell_out", "Validated Sell-out"),
]


class DealerFund(models.Model):
    _name = "dealer.fund"
    _description = "Market Fund"
    _inherit = ["mail.thread", "mail.activity.mixin", "analytic.mixin"]
    _order = "date_from desc, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    state = fields.Selection(
        FUND_STATES, required=True, default="draft", copy=False, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    dealer_id = fields.Many2one(
        "res.partner",
        domain=[("is_dealer", "=", True)],
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The dealer this fund is for. Leave empty for a fund shared by the "
        "dealers of a territory.",
    )
    territory_id = fields.Many2one(
        "dealer.territory",
        index="btree_not_null",
        tracking=True,
        help="For a territory fund: the dealers selling in this territory may claim "
        "on it. For a dealer's fund: its claims must lie in this territory.",
    )
    programme_id = fields.Many2one(
        "dealer.fund.programme",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    expense_type_ids = fields.Many2many(
        "dealer.expense.type",
        string="Expense Types",
        help="Claims on this fund must be of one of these types; none means any type.",
    )
    date_from = fields.Date(string="Start Date", required=True, tracking=True)
    date_to = fields.Date(string="End Date", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    note = fields.Html(string="Terms")
    line_ids = fields.One2many("dealer.fund.line", "fund_id", string="Allocation")
    claim_ids = fields.One2many("dealer.expense.claim", "fund_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_claim_count")
    allocated_amount = fields.Monetary(
        string="Allocated", compute="_compute_amounts", store=True
    )
    committed_amount = fields.Monetary(
        string="Committed",
        compute="_compute_amounts",
        store=True,
        help="Claims submitted or approved, not yet written off.",
    )
    consumed_amount = fields.Monetary(
        string="Consumed",
        compute="_compute_amounts",
        store=True,
        help="Claims written off in accounting.",
    )
    available_amount = fields.Monetary(
        string="Available",
        compute="_compute_amounts",
        store=True,
        help="Allocated less committed and consumed; never below zero.",
    )
    eligible_dealer_ids = fields.Many2many(
        "res.partner",
        string="Dealers Who May Claim",
        compute="_compute_eligible_dealer_ids",
        search="_search_eligible_dealer_ids",
    )
    accrual_basis = fields.Selection(
        ACCRUAL_BASES,
        tracking=True,
        help="Allocate every month a rate of the dealer's sales: its posted customer "
        "invoices (sell-in) or its validated sell-out. For a territory fund, the "
        "sales of the territory.",
    )
    accrual_rate = fields.Float(
        string="Accrual Rate (%)", digits=(16, 4), tracking=True
    )
    accrual_date_from = fields.Date(
        string="Accrue Sales From",
        help="First day of the sales accrued; the fund's start date when empty.",
    )
    accrual_date_to = fields.Date(
        string="Accrue Sales Until",
        help="Last day of the sales accrued; the fund's end date when empty.",
    )

    _sql_constraints = [
        (
            "available_not_negative",
            "CHECK(available_amount >= 0)",
            "A fund cannot commit more than it was allocated.",
        ),
    ]

    @api.depends("claim_ids")
    def _compute_claim_count(self):
        counts = dict(
            self.env["dealer.expense.claim"]._read_group(
                [("fund_id", "in", self.ids)], ["fund_id"], ["__count"]
            )
        )
        for fund in self:
            fund.claim_count = counts.get(fund, 0)

    @api.depends(
        "currency_id",
        "line_ids.amount",
        "claim_ids.committed_amount",
        "claim_ids.consumed_amount",
    )
    def _compute_amounts(self):
        saved = self.filtered("id")
        allocated = dict(
            self.env["dealer.fund.line"]._read_group(
                [("fund_id", "in", saved.ids)], ["fund_id"], ["amount:sum"]
            )
        )
        used = {
            fund: (committed, consumed)
            for fund, committed, consumed in self.env[
                "dealer.expense.claim"
            ]._read_group(
                [("fund_id", "in", saved.ids)],
                ["fund_id"],
                ["committed_amount:sum", "consumed_amount:sum"],
            )
        }
        for fund in self:
            if fund.id:
                fund.allocated_amount = allocated.get(fund, 0.0)
                committed, consumed = used.get(fund, (0.0, 0.0))
            else:
                fund.allocated_amount = sum(fund.line_ids.mapped("amount"))
                committed = sum(fund.claim_ids.mapped("committed_amount"))
                consumed = sum(fund.claim_ids.mapped("consumed_amount"))
            fund.committed_amount = committed
            fund.consumed_amount = consumed
            fund.available_amount = fund.currency_id.round(
                fund.allocated_amount - committed - consumed
            )

    @api.depends("dealer_id", "territory_id")
    def _compute_eligible_dealer_ids(self):
        territory_funds = self.filtered(
            lambda fund: fund.id and not fund.dealer_id and fund.territory_id
        )
        dealers = {}
        if territory_funds:
            self._flush_scope()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT fund.id, array_agg(DISTINCT rel.partner_id)
                      FROM dealer_fund fund
                      JOIN dealer_territory area ON area.id = fund.territory_id
                      JOIN dealer_territory_partner_rel rel ON TRUE
                      JOIN dealer_territory place ON place.id = rel.territory_id
                      JOIN res_partner dealer ON dealer.id = rel.partner_id
                     WHERE fund.id = ANY(%s)
                       AND dealer.is_dealer AND dealer.active
                       AND (starts_with(place.parent_path, area.parent_path)
                            OR starts_with(area.parent_path, place.parent_path))
                     GROUP BY fund.id
                    """,
                    territory_funds.ids,
                )
            )
            dealers = dict(rows)
        for fund in self:
            fund.eligible_dealer_ids = fund.dealer_id or self.env["res.partner"].browse(
                dealers.get(fund.id, [])
            )

    def _search_eligible_dealer_ids(self, operator, value):
        if operator not in ("in", "="):
            raise UserError(
                _("Funds can only be searched by the dealers who may claim.")
            )
        dealer_ids = [value] if isinstance(value, int) else list(value or [])
        self._flush_scope()
        return [
            (
                "id",
                "in",
                SQL(
                    """
                    (SELECT fund.id
                      FROM dealer_fund fund
                     WHERE fund.dealer_id = ANY(%(dealers)s)
                     UNION
                    SELECT fund.id
                      FROM dealer_fund fund
                      JOIN dealer_territory area ON area.id = fund.territory_id
                      JOIN dealer_territory_partner_rel rel
                           ON rel.partner_id = ANY(%(dealers)s)
                      JOIN dealer_territory place ON place.id = rel.territory_id
                     WHERE fund.dealer_id IS NULL
                       AND (starts_with(place.parent_path, area.parent_path)
                            OR starts_with(area.parent_path, place.parent_path)))
                    """,
                    dealers=dealer_ids,
                ),
            )
        ]

    def _flush_scope(self):
        """Write what the eligible dealers are read from, before reading it in SQL."""
        self.env["dealer.fund"].flush_model(["dealer_id", "territory_id"])
        self.env["dealer.territory"].flush_model(["parent_path"])
        self.env["res.partner"].flush_model(
            ["is_dealer", "active", "dealer_territory_ids"]
        )

    # company_id: also checked on creation, where a fund may name neither
    @api.constrains("dealer_id", "territory_id", "company_id")
    def _check_scope(self):
        for fund in self:
            if not fund.dealer_id and not fund.territory_id:
                raise ValidationError(
                    _(
                        "The fund %(fund)s needs a dealer or a territory.",
                        fund=fund.name,
                    )
                )

    @api.constrains("date_from", "date_to", "accrual_date_from", "accrual_date_to")
    def _check_dates(self):
        for fund in self:
            if fund.date_from > fund.date_to:
                raise ValidationError(
                    _("The fund %(fund)s ends before it starts.", fund=fund.name)
                )
            accrual_from = fund.accrual_date_from or fund.date_from
            accrual_to = fund.accrual_date_to or fund.date_to
            if accrual_from > accrual_to:
                raise ValidationError(
                    _(
                        "The accrual window of %(fund)s ends before it starts.",
                        fund=fund.name,
                    )
                )

    @api.constrains("accrual_basis", "accrual_rate")
    def _check_accrual(self):
        for fund in self:
            if fund.accrual_basis and not 0 < fund.accrual_rate <= 100:
                raise ValidationError(
                    _(
                        "The accrual rate of %(fund)s must lie between 0 and 100 %%.",
                        fund=fund.name,
                    )
                )

    @api.constrains("currency_id", "company_id")
    def _check_currency_locked(self):
        for fund in self:
            if fund.line_ids.filtered(
                lambda line, fund=fund: line.currency_id != fund.currency_id
            ) or fund.claim_ids.filtered(
                lambda claim, fund=fund: (
                    claim.currency_id != fund.currency_id
                    or claim.company_id != fund.company_id
                )
            ):
                raise ValidationError(
                    _(
                        "The fund %(fund)s has allocations or claims: its currency "
                        "and company can no longer change.",
                        fund=fund.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        for fund in self:
            if fund.state != "draft" or fund.claim_ids:
                raise UserError(
                    _(
                        "The fund %(fund)s is in use: close it instead of deleting it.",
                        fund=fund.name,
                    )
                )

    def action_open(self):
        self.filtered(lambda fund: fund.state != "open").state = "open"

    def action_close(self):
        self.filtered(lambda fund: fund.state == "open").state = "closed"

    def action_draft(self):
        for fund in self:
            if fund.claim_ids:
                raise UserError(
                    _(
                        "The fund %(fund)s already has claims: it cannot go back "
                        "to draft.",
                        fund=fund.name,
                    )
                )
        self.state = "draft"

    def action_accrue(self):
        lines = self._accrue()
        if lines:
            message = _(
                "%(count)s accrual line(s) added, %(amount)s in all.",
                count=len(lines),
                amount=", ".join(
                    format_amount(self.env, sum(group.mapped("amount")), currency)
                    for currency, group in lines.grouped("currency_id").items()
                ),
            )
            kind = "success"
        else:
            message = _(
                "Nothing to accrue: every month that is over is accrued already."
            )
            kind = "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_expense.dealer_expense_claim_action"
        )
        action["domain"] = [("fund_id", "=", self.id)]
        action["context"] = {
            "default_fund_id": self.id,
            "default_dealer_id": self.dealer_id.id,
        }
        return action

    def action_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Transfer Budget"),
            "res_model": "dealer.fund.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_source_fund_id": self.id},
        }

    def _lock_for_budget(self):
        """Hold the funds' rows until this transaction ends.

        Whatever takes budget (a submitted claim, a negative allocation, a
        transfer out) locks its funds first and checks them after its change. A
        concurrent transaction waits on the lock; the first one updates the
        fund's stored balance, so PostgreSQL fails the second with a
        serialisation error once the first commits, and Odoo runs it again on
        fresh data, where the check sees the budget already taken.
        """
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM dealer_fund WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE",
                    sorted(set(self.ids)),
                )
            )

    def _check_available(self):
        """Refuse a change that took any of these funds below zero."""
        for fund in self:
            if fund.currency_id.compare_amounts(fund.available_amount, 0) < 0:
                raise UserError(
                    _(
                        "The fund %(fund)s does not have enough budget left: this "
                        "would take it %(missing)s below zero.",
                        fund=fund.name,
                        missing=format_amount(
                            self.env, -fund.available_amount, fund.currency_id
                        ),
                    )
                )

    def _portal_history(self, dealer):
        """What a dealer sees of the fund: its allocations, its own claims that
        hold or used budget, and, on a shared fund, the other dealers' claims
        as two totals only.

        :return: dict with ``history`` (rows, newest first) and ``others``
            (committed, consumed) of the other dealers
        """
        self.ensure_one()
        kinds = dict(
            self.env["dealer.fund.line"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        history = [
            {
                "date": line.date,
                "kind": kinds[line.kind],
                "description": line.description,
                "base": line.base_amount
                if line.kind == "accrual" and self.dealer_id
                else None,
                "allocated": line.amount,
                "committed": 0.0,
                "consumed": 0.0,
                "claim": None,
            }
            for line in self.line_ids
        ]
        claims = self.claim_ids.filtered(
            lambda claim: claim.committed_amount or claim.consumed_amount
        )
        own = claims.filtered(lambda claim: claim.dealer_id == dealer)
        for claim in own:
            history.append(
                {
                    "date": claim.written_off_date
                    or fields.Date.to_date(claim.approved_date or claim.submitted_date),
                    "kind": claim._state_label(),
                    "description": f"{claim.name} · {claim.expense_type_id.name}",
                    "base": None,
                    "allocated": 0.0,
                    "committed": claim.committed_amount,
                    "consumed": claim.consumed_amount,
                    "claim": claim,
                }
            )
        history.sort(key=lambda row: row["date"], reverse=True)
        others = claims - own
        return {
            "history": history,
            "others": (
                sum(others.mapped("committed_amount")),
                sum(others.mapped("consumed_amount")),
            ),
        }

    # -- accrual ----------------------------------------------------------------

    @api.model
    def _cron_accrue(self):
        self.search([("state", "=", "open"), ("accrual_basis", "!=", False)])._accrue()

    def _accrue(self, today=None):
        """Allocate each month that is over, once: a rate of its sales.

        :return: the accrual lines created
        """
        today = today or fields.Date.context_today(self)
        vals_list = []
        bases_labels = dict(
            self._fields["accrual_basis"]._description_selection(self.env)
        )
        funds = self.filtered(
            lambda fund: (
                fund.state == "open" and fund.accrual_basis and fund.accrual_rate
            )
        )
        for fund in funds:
            periods = fund._accrual_periods_due(today)
            if not periods:
                continue
            bases = fund._accrual_bases(periods)
            rate = "%g" % fund.accrual_rate
            for period_from, period_to in periods:
                base = bases.get(period_from, 0.0)
                vals_list.append(
                    {
                        "fund_id": fund.id,
                        "kind": "accrual",
                        "date": period_to,
                        "period_from": period_from,
                        "period_to": period_to,
                        "accrual_basis": fund.accrual_basis,
                        "accrual_rate": fund.accrual_rate,
                        "base_amount": base,
                        "description": _(
                            "%(rate)s%% of %(basis)s, %(date_from)s – %(date_to)s",
                            rate=rate,
                            basis=bases_labels[fund.accrual_basis],
                            date_from=format_date(self.env, period_from),
                            date_to=format_date(self.env, period_to),
                        ),
                        # returns beyond sales accrue nothing rather than
                        # take back budget
                        "amount": max(
                            fund.currency_id.round(base * fund.accrual_rate / 100),
                            0.0,
                        ),
                    }
                )
        return self.env["dealer.fund.line"].create(vals_list)

    def _accrual_periods_due(self, today):
        """The months (clipped to the accrual window) that are over and not yet
        accrued, as ``[(first day, last day)]``."""
        self.ensure_one()
        window_from = self.accrual_date_from or self.date_from
        window_to = self.accrual_date_to or self.date_to
        done = set(
            self.line_ids.filtered(lambda line: line.kind == "accrual").mapped(
                "period_from"
            )
        )
        periods = []
        month = window_from.replace(day=1)
        while month <= window_to:
            period_from = max(month, window_from)
            period_to = min(month + relativedelta(months=1, days=-1), window_to)
            if period_to >= today:
                break
            if period_from not in done:
                periods.append((period_from, period_to))
            month += relativedelta(months=1)
        return periods

    def _accrual_bases(self, periods):
        """The sales of each period in the fund's currency, by first day."""
        self.ensure_one()
        date_from = periods[0][0]
        date_to = periods[-1][1]
        if self.accrual_basis == "sell_in":
            by_month = self._sell_in_by_month(date_from, date_to)
        else:
            by_month = self._sell_out_by_month(date_from, date_to)
        company = self.company_id
        bases = {}
        for period_from, period_to in periods:
            amount = by_month.get(period_from.replace(day=1), 0.0)
            bases[period_from] = company.currency_id._convert(
                amount, self.currency_id, company, period_to
            )
        return bases

    def _accrual_dealers(self):
        self.ensure_one()
        return self.dealer_id or self.eligible_dealer_ids

    def _sell_in_by_month(self, date_from, date_to):
        """Posted customer invoices less credit notes of the fund's dealers, per
        month, in the company's currency; the write-offs of claims left out."""
        self.ensure_one()
        # Whoever accrues (the scheduler, a channel manager without accounting
        # rights) reads the invoiced sales the same way.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                    ("move_id.dealer_expense_claim_id", "=", False),
                    ("partner_id", "in", self._accrual_dealers().ids),
                    ("display_type", "=", "product"),
                    ("product_id", "!=", False),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["date:month"],
                ["balance:sum"],
            )
        )
        return {month: -balance for month, balance in groups}

    def _sell_out_by_month(self, date_from, date_to):
        """Validated (posted) sell-out of the fund's dealer or territory, per
        month, in the company's currency."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "posted"),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ]
        if self.dealer_id:
            domain.append(("dealer_id", "=", self.dealer_id.id))
        if self.territory_id:
            domain.append(("territory_id", "child_of", self.territory_id.id))
        # Read the same way by the scheduler and by channel staff.
        groups = (
            self.env["dealer.sellout.line"]
            .sudo()
            ._read_group(domain, ["date:month"], ["amount:sum"])
        )
        return dict(groups)
