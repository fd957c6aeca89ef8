from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, formatLang

from ..report.channel_roi_report import claim_roi_sql

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
METRICS = [
    ("volume", "Volume"),
    ("growth", "Growth"),
    ("sell_through", "Sell-through"),
    ("compliance", "Compliance"),
    ("payment", "Payment Discipline"),
    ("roi", "Expense ROI"),
]
# Points of a metric that has nothing to be measured on (no sell-out the year
# before, no line reported, no market spend): neither reward nor penalty.
NEUTRAL_POINTS = 50.0
# A regional median is shown only when this many other dealers make it: fewer
# would let a dealer work out another's figures.
BENCHMARK_MIN_PEERS = 3
BENCHMARK_METRICS = ("growth", "sell_through", "compliance")


def _clamp(points):
    return max(0.0, min(100.0, points))


def metric_points(metric, figure, basis, target):
    """Score one metric of the scorecard.

    :param str metric: a code of ``METRICS``
    :param float figure: what the dealer achieved (see ``dealer.grade.line``)
    :param float basis: what it is measured against
    :param float target: the company's setting for this metric
    :return: ``(value, points)``: the metric's value (None when there is
        nothing to measure it on) and its points, from 0 to 100
    """
    if metric == "volume":
        # sell-out amount; the target scores 100
        return figure, _clamp(100.0 * figure / target) if target > 0 else 100.0
    if metric == "growth":
        # sell-out against the 12 months before; +target % scores 100, -target % 0
        if basis <= 0:
            return None, NEUTRAL_POINTS
        value = 100.0 * (figure - basis) / basis
        return value, _clamp(50.0 + 50.0 * value / target) if target > 0 else 100.0
    if metric == "sell_through":
        # units sold out of the units received; the target % scores 100
        if basis <= 0:
            return None, 100.0 if figure > 0 else NEUTRAL_POINTS
        value = 100.0 * figure / basis
        return value, _clamp(100.0 * value / target) if target > 0 else 100.0
    if metric == "compliance":
        # weighed lines with blocking issues out of the lines reported
        if basis <= 0:
            return None, NEUTRAL_POINTS
        value = _clamp(100.0 * (1.0 - figure / basis))
        return value, value
    if metric == "payment":
        # overdue receivables out of the amount invoiced; the tolerance % scores 0
        if basis <= 0:
            return None, 100.0 if figure <= 0 else 0.0
        value = 100.0 * figure / basis
        if target <= 0:
            return value, 100.0 if figure <= 0 else 0.0
        return value, _clamp(100.0 * (1.0 - value / target))
    if metric == "roi":
        # incremental sell-out per unit of money spent; the target scores 100
        if basis <= 0:
            return None, NEUTRAL_POINTS
        value = figure / basis
        return value, _clamp(100.0 * value / target) if target > 0 else 100.0
    raise ValueError(metric)


class DealerGrade(models.Model):
    """A dealer's grade (A/B/C/D) for a period: its scorecard over the 12
    months ending with the period's month, kept as history.

    Grades are computed for all dealers at once by ``_recompute_grades`` (a
    monthly scheduled action, or a manager's button): a few grouped queries
    over the channel summaries, then one ``create`` of the grades and one of
    their lines. Each line says what a metric measured and the points it
    gave. A manager may override the computed grade, with a reason; the
    chatter keeps who changed what.
    """

    _name = "dealer.grade"
    _description = "Dealer Grade"
    _inherit = ["mail.thread"]
    _order = "period desc, score desc, id"
    _rec_name = "dealer_id"

    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        domain=[("is_dealer", "=", True)],
    )
    dealer_code = fields.Char(related="dealer_id.dealer_code")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    period = fields.Date(
        required=True,
        readonly=True,
        index=True,
        help="The last month the grade covers (its first day).",
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    region_id = fields.Many2one(
        "dealer.territory",
        readonly=True,
        index="btree_not_null",
        help="The region of the dealer's territories, where it is benchmarked.",
    )
    score = fields.Float(
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="The weighed average of the metrics' points, out of 100.",
    )
    computed_grade = fields.Selection(GRADES, readonly=True)
    override_grade = fields.Selection(
        GRADES,
        string="Overriding Grade",
        tracking=True,
        help="Set by a manager, with a reason, instead of the computed grade.",
    )
    override_reason = fields.Text(
        tracking=True, groups="dealer_portal.group_channel_user"
    )
    override_uid = fields.Many2one(
        "res.users",
        string="Overridden By",
        readonly=True,
        groups="dealer_portal.group_channel_user",
    )
    grade = fields.Selection(
        GRADES,
        compute="_compute_grade",
        store=True,
        index=True,
        tracking=True,
        help="The computed grade, unless a manager overrode it.",
    )
    is_overridden = fields.Boolean(compute="_compute_grade", store=True)
    is_current = fields.Boolean(
        string="Current",
        readonly=True,
        index=True,
        help="The dealer's latest grade.",
    )
    line_ids = fields.One2many(
        "dealer.grade.line", "grade_id", string="Scorecard", readonly=True
    )

    _sql_constraints = [
        (
            "dealer_period_uniq",
            "unique(dealer_id, company_id, period)",
            "A dealer has one grade per period.",
        ),
    ]

    def init(self):
        # Sub-dealers' inbound transfers, summed by the sell-through metric:
        # few rows of a large ledger.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS dealer_stock_move_transfer_in_date
                    ON dealer_stock_move (date, dealer_id)
                 WHERE kind = 'transfer_in'
                """
            )
        )

    @api.depends("computed_grade", "override_grade")
    def _compute_grade(self):
        for grade in self:
            grade.grade = grade.override_grade or grade.computed_grade
            grade.is_overridden = bool(grade.override_grade)

    @api.depends("dealer_id", "period")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = _(
                "%(dealer)s, %(period)s",
                dealer=grade.dealer_id.display_name,
                period=grade.period and grade.period.strftime("%Y-%m"),
            )

    @api.constrains("override_grade", "override_reason")
    def _check_override_reason(self):
        for grade in self:
            if grade.override_grade and not (grade.override_reason or "").strip():
                raise ValidationError(
                    _(
                        "Say why the grade of %(dealer)s is overridden.",
                        dealer=grade.dealer_id.display_name,
                    )
                )

    def write(self, vals):
        if "override_grade" in vals:
            vals["override_uid"] = self.env.uid if vals["override_grade"] else False
        return super().write(vals)

    def action_override(self, grade, reason):
        """Override the computed grade (``grade`` False goes back to it)."""
        self.check_access("write")
        if grade and not (reason or "").strip():
            raise UserError(_("Say why the grade is overridden."))
        return self.write(
            {
                "override_grade": grade or False,
                "override_reason": (reason or "").strip() or False,
            }
        )

    def action_recompute(self):
        """Grade the dealers the user looks after, for last month."""
        self.check_access("create")
        dealers = self.env["res.partner"].search(self._dealer_domain())
        # The figures come from every dealer's summaries and invoices, which
        # a channel manager may not all read; the dealers were chosen above,
        # within the manager's rights.
        grades = self.sudo()._recompute_grades(dealers=dealers.sudo())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s dealers graded.", count=len(grades)),
                # show the new figures in the list the button is on
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_recompute_grades(self):
        """Monthly: grade every company's dealers for the month just ended,
        and rank their downstream customers."""
        for company in self.env["res.company"].search([]):
            env = self.with_company(company).env
            env["dealer.grade"]._recompute_grades()
            env["dealer.key.customer"]._recompute_key_customers()

    @api.model
    def _dealer_domain(self):
        company = self.env.company
        return [("is_dealer", "=", True), ("company_id", "in", [False, company.id])]

    @api.model
    def _grade_window(self, period=None):
        """The dates of a grade whose last month holds ``period`` (a date;
        last month when None): ``period`` (first of that month), ``date_from``
        and ``date_to`` (12 months), ``previous_from`` (12 months before)."""
        if not period:
            period = fields.Date.context_today(self) - relativedelta(months=1)
        period = fields.Date.to_date(period).replace(day=1)
        date_from = period - relativedelta(months=11)
        return {
            "period": period,
            "date_from": date_from,
            "date_to": period + relativedelta(months=1, days=-1),
            "previous_from": date_from - relativedelta(months=12),
        }

    @api.model
    def _recompute_grades(self, dealers=None, period=None):
        """Grade ``dealers`` (all of the current company's when None) for the
        12 months ending with the month of ``period`` (last month when None).

        Set-based: the figures of all dealers come from a few grouped queries;
        the grades are written with one ``create`` (and one SQL update of those
        already graded for the period, whose overrides stay), their lines
        with one ``create``.

        :return: the grades of the period, a ``dealer.grade`` recordset
        """
        company = self.env.company
        if dealers is None:
            dealers = self.env["res.partner"].search(self._dealer_domain())
        if not dealers:
            return self.browse()
        window = self._grade_window(period)
        settings = company._dealer_grade_settings()
        figures = self._grade_figures(dealers.ids, window)
        regions = self._grade_regions(dealers.ids)
        total_weight = sum(settings["weights"].values()) or 1.0

        results = {}
        for dealer_id in dealers.ids:
            lines, score = [], 0.0
            for sequence, (metric, _label) in enumerate(METRICS):
                figure, basis = figures[metric].get(dealer_id, (0.0, 0.0))
                target = settings["targets"][metric]
                value, points = metric_points(metric, figure, basis, target)
                weight = settings["weights"][metric]
                contribution = points * weight / total_weight
                score += contribution
                lines.append(
                    {
                        "sequence": sequence,
                        "metric": metric,
                        "figure": figure,
                        "basis": basis,
                        "value": value,
                        "has_value": value is not None,
                        "target": target,
                        "points": points,
                        "weight": weight,
                        "contribution": contribution,
                    }
                )
            score = round(score, 1)
            results[dealer_id] = (score, company._dealer_grade_for(score), lines)

        grades = self._grade_write(company, window, results, regions)
        self._grade_mark_current(company, dealers.ids)
        return grades

    def _grade_write(self, company, window, results, regions):
        """Write the grades and their lines; return the grades."""
        self.flush_model()
        existing = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT dealer_id, id FROM dealer_grade
                     WHERE company_id = %s AND period = %s AND dealer_id = ANY(%s)
                    """,
                    company.id,
                    window["period"],
                    list(results),
                )
            )
        )
        if existing:
            ids = list(existing.values())
            dealer_ids = list(existing)
            self.env.cr.execute(
                SQL(
                    """
                    DELETE FROM dealer_grade_line WHERE grade_id = ANY(%(ids)s);
                    UPDATE dealer_grade g
                       SET score = new.score,
                           computed_grade = new.grade,
                           grade = COALESCE(g.override_grade, new.grade),
                           region_id = new.region_id,
                           date_from = %(date_from)s,
                           date_to = %(date_to)s,
                           write_uid = %(uid)s,
                           write_date = now() at time zone 'UTC'
                      FROM unnest(%(ids)s::int[], %(scores)s::float[],
                                  %(grades)s::varchar[], %(regions)s::int[])
                           AS new(id, score, grade, region_id)
                     WHERE g.id = new.id
                    """,
                    ids=ids,
                    scores=[results[dealer][0] for dealer in dealer_ids],
                    grades=[results[dealer][1] for dealer in dealer_ids],
                    regions=[regions.get(dealer) for dealer in dealer_ids],
                    date_from=window["date_from"],
                    date_to=window["date_to"],
                    uid=self.env.uid,
                )
            )
            self.invalidate_model()
            self.env["dealer.grade.line"].invalidate_model()
        created = (
            self.with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
            .create(
                [
                    {
                        "dealer_id": dealer_id,
                        "company_id": company.id,
                        "period": window["period"],
                        "date_from": window["date_from"],
                        "date_to": window["date_to"],
                        "region_id": regions.get(dealer_id),
                        "score": score,
                        "computed_grade": grade,
                    }
                    for dealer_id, (score, grade, _lines) in results.items()
                    if dealer_id not in existing
                ]
            )
            .with_env(self.env)
        )
        grades = self.browse(list(existing.values())) | created
        grade_of = {grade.dealer_id.id: grade.id for grade in grades}
        self.env["dealer.grade.line"].create(
            [
                {**line, "grade_id": grade_of[dealer_id]}
                for dealer_id, (_score, _grade, lines) in results.items()
                for line in lines
            ]
        )
        return grades

    def _grade_mark_current(self, company, dealer_ids):
        """Each dealer's latest grade is its current one."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE dealer_grade g
                   SET is_current = (g.period = latest.period)
                  FROM (SELECT dealer_id, MAX(period) AS period
                          FROM dealer_grade
                         WHERE company_id = %(company)s AND dealer_id = ANY(%(dealers)s)
                         GROUP BY dealer_id) latest
                 WHERE g.company_id = %(company)s
                   AND g.dealer_id = latest.dealer_id
                   AND g.is_current IS DISTINCT FROM (g.period = latest.period)
                """,
                company=company.id,
                dealers=dealer_ids,
            )
        )
        self.invalidate_model(["is_current"])

    def _benchmarks(self):
        """This grade's growth, sell-through and compliance beside the
        medians of the other dealers of its region for the same period.

        :return: list of dicts ``metric``, ``label``, ``own`` (None when the
            dealer had nothing to measure), ``median`` (None unless at least
            ``BENCHMARK_MIN_PEERS`` other dealers have a value) and ``peers``
        """
        self.ensure_one()
        own = {
            line.metric: line.value if line.has_value else None
            for line in self.line_ids
        }
        medians = {}
        if self.region_id:
            self.env["dealer.grade.line"].flush_model()
            # SQL across every dealer's grades of the region, whoever asks:
            # only aggregates come back, and those of too few dealers are
            # dropped below.
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT line.metric,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY line.value),
                           COUNT(*)
                      FROM dealer_grade_line line
                      JOIN dealer_grade grade ON grade.id = line.grade_id
                     WHERE grade.company_id = %s AND grade.period = %s
                       AND grade.region_id = %s AND grade.dealer_id <> %s
                       AND line.metric IN %s AND line.has_value
                     GROUP BY line.metric
                    """,
                    self.company_id.id,
                    self.period,
                    self.region_id.id,
                    self.dealer_id.id,
                    BENCHMARK_METRICS,
                )
            )
            medians = {
                metric: (median, peers)
                for metric, median, peers in rows
                if peers >= BENCHMARK_MIN_PEERS
            }
        labels = dict(
            self.env["dealer.grade.line"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        return [
            {
                "metric": metric,
                "label": labels[metric],
                "own": own.get(metric),
                "median": medians.get(metric, (None, 0))[0],
                "peers": medians.get(metric, (None, 0))[1],
            }
            for metric in BENCHMARK_METRICS
        ]

    @api.model
    def _grade_regions(self, dealer_ids):
        """``{dealer id: region id}``: the region (a territory of level
        region) above the dealer's first territory, or the top of its tree
        when the tree has no regions; dealers without territories are left
        out."""
        self.env["dealer.territory"].flush_model(["parent_path", "level"])
        return dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT ON (rel.partner_id) rel.partner_id, area.id
                      FROM dealer_territory_partner_rel rel
                      JOIN dealer_territory place ON place.id = rel.territory_id
                      JOIN dealer_territory area
                        ON starts_with(place.parent_path, area.parent_path)
                       AND (area.level = 'region' OR area.parent_id IS NULL)
                     WHERE rel.partner_id = ANY(%s)
                     ORDER BY rel.partner_id, place.id, area.level = 'region' DESC
                    """,
                    dealer_ids,
                )
            )
        )

    # ------------------------------------------------------------------
    # The figures of the scorecard, for all dealers at once. Each returns
    # {dealer id: (figure, basis)} (see dealer.grade.line).

    @api.model
    def _grade_figures(self, dealer_ids, window):
        self.env.flush_all()
        flow = self._grade_flow_figures(dealer_ids, window)
        return {
            "volume": {dealer: (row["sellout"], 0.0) for dealer, row in flow.items()},
            "growth": {
                dealer: (row["sellout"], row["sellout_before"])
                for dealer, row in flow.items()
            },
            "sell_through": {
                dealer: (row["sold_qty"], row["sellin_qty"])
                for dealer, row in flow.items()
            },
            "compliance": self._grade_compliance(dealer_ids, window, flow),
            "payment": self._grade_payment(dealer_ids, window),
            "roi": self._grade_roi(dealer_ids, window),
        }

    @api.model
    def _grade_flow_figures(self, dealer_ids, window):
        """Sell-out, sell-in and posted lines per dealer, from the monthly
        channel summary: this year's and the year before's.

        Sell-in is what we delivered net of returns to us, and for a
        sub-dealer what its upstream dealer delivered (confirmed transfers).
        """
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT dealer_id,
                       COALESCE(SUM(net_amount) FILTER (WHERE date >= %(from)s), 0)
                           AS sellout,
                       COALESCE(SUM(net_amount) FILTER (WHERE date < %(from)s), 0)
                           AS sellout_before,
                       COALESCE(SUM(net_qty) FILTER (WHERE date >= %(from)s), 0)
                           AS sold_qty,
                       COALESCE(SUM(sellin_qty) FILTER (WHERE date >= %(from)s), 0)
                           AS sellin_qty,
                       COALESCE(SUM(line_count) FILTER (WHERE date >= %(from)s), 0)
                           AS posted_lines
                  FROM channel_flow_monthly
                 WHERE company_id = %(company)s
                   AND dealer_id = ANY(%(dealers)s)
                   AND date >= %(previous_from)s AND date <= %(to)s
                 GROUP BY dealer_id
                """,
                company=self.env.company.id,
                dealers=dealer_ids,
                previous_from=window["previous_from"],
                to=window["date_to"],
                **{"from": window["date_from"]},
            )
        )
        flow = {row["dealer_id"]: row for row in rows}
        empty = dict.fromkeys(
            ("sellout", "sellout_before", "sold_qty", "sellin_qty", "posted_lines"),
            0.0,
        )
        for dealer, quantity in self._grade_transfers(dealer_ids, window).items():
            row = flow.setdefault(dealer, {"dealer_id": dealer, **empty})
            row["sellin_qty"] += quantity
        return flow

    @api.model
    def _grade_transfers(self, dealer_ids, window):
        """``{dealer id: quantity}`` a sub-dealer received from its upstream
        dealer (confirmed transfers) over the 12 months: goods it received,
        though not from us."""
        return dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT dealer_id, SUM(quantity)
                      FROM dealer_stock_move
                     WHERE kind = 'transfer_in'
                       AND company_id = %s AND dealer_id = ANY(%s)
                       AND date BETWEEN %s AND %s
                     GROUP BY dealer_id
                    """,
                    self.env.company.id,
                    dealer_ids,
                    window["date_from"],
                    window["date_to"],
                )
            )
        )

    @api.model
    def _grade_compliance(self, dealer_ids, window, flow):
        """Weighed lines with blocking issues, and lines reported.

        A line counts once however many blocking issues it has, ``diversion
        weight`` times when one of them is a diversion (rule ``territory``).
        Waived issues do not count: staff accepted the line. Lines reported
        are the posted ones (from the summary) and those kept back by their
        blocking issues, waiting for review or rejected: a submitted line with
        a blocking issue not waived is never posted.
        """
        weight = self.env.company.dealer_grade_diversion_weight
        rows = self.env.execute_query(
            SQL(
                """
                SELECT dealer_id, COUNT(*), COUNT(*) FILTER (WHERE diversion)
                  FROM (
                        SELECT i.dealer_id, i.line_id,
                               bool_or(i.rule = 'territory') AS diversion
                          FROM dealer_sellout_issue i
                          JOIN dealer_sellout_batch batch ON batch.id = i.batch_id
                         WHERE i.company_id = %(company)s
                           AND i.dealer_id = ANY(%(dealers)s)
                           AND i.date BETWEEN %(from)s AND %(to)s
                           AND i.severity = 'blocking'
                           AND i.state <> 'waived'
                           AND batch.state NOT IN ('draft', 'cancelled')
                         GROUP BY i.dealer_id, i.line_id
                       ) per_line
                 GROUP BY dealer_id
                """,
                company=self.env.company.id,
                dealers=dealer_ids,
                to=window["date_to"],
                **{"from": window["date_from"]},
            )
        )
        kept_back = {dealer: (bad, diversions) for dealer, bad, diversions in rows}
        result = {}
        for dealer in set(flow) | set(kept_back):
            bad, diversions = kept_back.get(dealer, (0, 0))
            posted = flow.get(dealer, {}).get("posted_lines", 0)
            result[dealer] = (bad - diversions + weight * diversions, posted + bad)
        return result

    @api.model
    def _grade_payment(self, dealer_ids, window):
        """Receivables overdue at the period's end (still open today), and
        the amount invoiced over the 12 months."""
        company = self.env.company.id
        overdue = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT partner.commercial_partner_id, SUM(aml.amount_residual)
                      FROM account_move_line aml
                      JOIN res_partner partner ON partner.id = aml.partner_id
                      JOIN account_account account ON account.id = aml.account_id
                     WHERE aml.company_id = %s
                       AND partner.commercial_partner_id = ANY(%s)
                       AND account.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND NOT aml.reconciled
                       AND aml.amount_residual > 0
                       AND aml.date_maturity < %s
                     GROUP BY partner.commercial_partner_id
                    """,
                    company,
                    dealer_ids,
                    window["date_to"],
                )
            )
        )
        invoiced = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT commercial_partner_id, SUM(amount_total_signed)
                      FROM account_move
                     WHERE company_id = %s
                       AND commercial_partner_id = ANY(%s)
                       AND move_type IN ('out_invoice', 'out_refund')
                       AND state = 'posted'
                       AND invoice_date BETWEEN %s AND %s
                     GROUP BY commercial_partner_id
                    """,
                    company,
                    dealer_ids,
                    window["date_from"],
                    window["date_to"],
                )
            )
        )
        return {
            dealer: (overdue.get(dealer, 0.0), invoiced.get(dealer, 0.0))
            for dealer in set(overdue) | set(invoiced)
        }

    @api.model
    def _grade_roi(self, dealer_ids, window):
        """Incremental sell-out of the dealer's approved claims whose activity
        ended in the 12 months, and the amount approved: the figures of each
        claim's own ROI (its scope, the company's baseline window), summed."""
        where = SQL(
            """
            claim.company_id = %s AND claim.dealer_id = ANY(%s)
            AND claim.state IN ('approved', 'written_off')
            AND claim.date_to BETWEEN %s AND %s
            """,
            self.env.company.id,
            dealer_ids,
            window["date_from"],
            window["date_to"],
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT claim.dealer_id,
                       SUM(roi.sellout_amount - roi.baseline_amount),
                       SUM(roi.spend)
                  FROM (%s) roi
                  JOIN dealer_expense_claim claim ON claim.id = roi.claim_id
                 GROUP BY claim.dealer_id
                """,
                claim_roi_sql(where),
            )
        )
        return {dealer: (incremental, spend) for dealer, incremental, spend in rows}


class DealerGradeLine(models.Model):
    """One metric of a grade's scorecard: what was measured, against what,
    and the points it gave.

    ``figure`` and ``basis`` per metric:

    - volume: sell-out (net of returns) over the 12 months; no basis;
    - growth: that sell-out; the sell-out of the 12 months before;
    - sell-through: units sold; units received;
    - compliance: weighed lines with blocking issues; lines reported;
    - payment: receivables overdue at the period's end; amount invoiced;
    - ROI: incremental sell-out of the approved claims; amount approved.
    """

    _name = "dealer.grade.line"
    _description = "Dealer Grade Metric"
    _order = "grade_id, sequence, id"
    _rec_name = "metric"

    grade_id = fields.Many2one(
        "dealer.grade", required=True, index=True, ondelete="cascade"
    )
    dealer_id = fields.Many2one(
        related="grade_id.dealer_id", store=True, index=True, string="Dealer"
    )
    company_id = fields.Many2one(related="grade_id.company_id", store=True)
    period = fields.Date(related="grade_id.period")
    sequence = fields.Integer()
    metric = fields.Selection(METRICS, required=True)
    figure = fields.Float(digits=(16, 2), aggregator=None)
    basis = fields.Float(digits=(16, 2), aggregator=None)
    value = fields.Float(
        digits=(16, 2),
        aggregator="avg",
        help="The metric's value: an amount (volume), a percentage (growth, "
        "sell-through, compliance, payment) or a ratio (ROI).",
    )
    has_value = fields.Boolean(
        help="Unset when there was nothing to measure the metric on."
    )
    target = fields.Float(
        digits=(16, 2),
        aggregator=None,
        help="The setting the metric was scored against when it was computed.",
    )
    points = fields.Float(digits=(5, 2), aggregator="avg")
    weight = fields.Float(digits=(5, 1), aggregator=None)
    contribution = fields.Float(
        digits=(5, 2), help="Points × weight ÷ total weight: its share of the score."
    )
    explanation = fields.Char(compute="_compute_explanation")

    @api.depends("metric", "figure", "basis", "value", "has_value", "target")
    def _compute_explanation(self):
        for line in self:
            line.explanation = line._explain()

    def _explain(self):
        """One sentence on how the metric was scored, in the user's language."""
        self.ensure_one()

        def number(value, digits=0):
            return formatLang(self.env, value, digits=digits)

        def percent(value):
            return f"{number(value, 1)} %"

        figure, basis, target = self.figure, self.basis, self.target
        if self.metric == "volume":
            return _(
                "Sell-out %(amount)s over 12 months; %(target)s or more scores 100.",
                amount=number(figure),
                target=number(target),
            )
        if self.metric == "growth":
            if not self.has_value:
                return _(
                    "No sell-out in the 12 months before: neutral %(points)s points.",
                    points=number(NEUTRAL_POINTS),
                )
            return _(
                "Sell-out %(amount)s against %(before)s the 12 months before: "
                "%(growth)s; +%(target)s scores 100, -%(target)s scores 0.",
                amount=number(figure),
                before=number(basis),
                growth=percent(self.value),
                target=percent(target),
            )
        if self.metric == "sell_through":
            if not self.has_value:
                return _(
                    "%(sold)s units sold, none received in the period.",
                    sold=number(figure),
                )
            return _(
                "%(sold)s units sold of %(received)s received: %(ratio)s; "
                "%(target)s or more scores 100.",
                sold=number(figure),
                received=number(basis),
                ratio=percent(self.value),
                target=percent(target),
            )
        if self.metric == "compliance":
            if not self.has_value:
                return _(
                    "No sell-out reported: neutral %(points)s points.",
                    points=number(NEUTRAL_POINTS),
                )
            return _(
                "Lines with blocking issues weigh %(bad)s of %(lines)s lines "
                "reported (a diversion counts %(weight)s): %(ratio)s compliant.",
                bad=number(figure, 1),
                lines=number(basis),
                weight=number(target, 1),
                ratio=percent(self.value),
            )
        if self.metric == "payment":
            if not self.has_value:
                return _(
                    "Overdue %(overdue)s, nothing invoiced in the period.",
                    overdue=number(figure),
                )
            return _(
                "Overdue %(overdue)s of %(invoiced)s invoiced: %(ratio)s; "
                "%(target)s or more overdue scores 0.",
                overdue=number(figure),
                invoiced=number(basis),
                ratio=percent(self.value),
                target=percent(target),
            )
        if not self.has_value:
            return _(
                "No market spend approved: neutral %(points)s points.",
                points=number(NEUTRAL_POINTS),
            )
        return _(
            "Incremental sell-out %(incremental)s on %(spend)s approved: "
            "ROI %(roi)s; %(target)s or more scores 100.",
            incremental=number(figure),
            spend=number(basis),
            roi=number(self.value, 2),
            target=number(target, 1),
        )
