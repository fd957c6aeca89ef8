from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .dealer_fund import ACCRUAL_BASES

LINE_KINDS = [
    ("manual", "Manual"),
    ("transfer", "Transfer"),
    ("accrual", "Accrual"),
]
# What may still change on a line of an open fund: amounts are corrected by a
# new line, so that the allocation history stays as it was.
FREE_FIELDS = {"description", "counterpart_line_id"}


class DealerFundLine(models.Model):
    _name = "dealer.fund.line"
    _description = "Market Fund Allocation"
    _order = "date desc, id desc"

    fund_id = fields.Many2one(
        "dealer.fund", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="fund_id.company_id", store=True)
    currency_id = fields.Many2one(related="fund_id.currency_id", store=True)
    kind = fields.Selection(LINE_KINDS, required=True, default="manual")
    date = fields.Date(required=True, default=fields.Date.context_today)
    description = fields.Char()
    amount = fields.Monetary(required=True)
    counterpart_line_id = fields.Many2one(
        "dealer.fund.line",
        string="Counterpart",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="For a transfer: the line of the other fund.",
    )
    counterpart_fund_id = fields.Many2one(
        related="counterpart_line_id.fund_id", string="Other Fund"
    )
    accrual_basis = fields.Selection(ACCRUAL_BASES, readonly=True)
    accrual_rate = fields.Float(string="Rate (%)", digits=(16, 4), readonly=True)
    period_from = fields.Date(readonly=True)
    period_to = fields.Date(readonly=True)
    base_amount = fields.Monetary(
        string="Base",
        readonly=True,
        help="For an accrual: the sales of the period the rate applies to.",
    )

    _sql_constraints = [
        (
            "accrual_period_uniq",
            "unique(fund_id, kind, period_from)",
            "This period is already accrued on this fund.",
        ),
    ]

    @api.depends("kind", "description", "fund_id.name", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            line.display_name = line.description or _(
                "%(kind)s of %(date)s", kind=kinds.get(line.kind), date=line.date
            )

    @api.model_create_multi
    def create(self, vals_list):
        funds = self.env["dealer.fund"].browse(
            {vals["fund_id"] for vals in vals_list if vals.get("fund_id")}
        )
        funds._lock_for_budget()
        lines = super().create(vals_list)
        lines.fund_id._check_available()
        return lines

    def write(self, vals):
        if set(vals) - FREE_FIELDS:
            for line in self:
                if line.kind != "manual" or line.fund_id.state != "draft":
                    raise UserError(
                        _(
                            "Allocations of an open fund, transfers and accruals "
                            "stay as they are: add a correcting line instead."
                        )
                    )
        funds = self.fund_id
        if "fund_id" in vals:
            funds |= self.env["dealer.fund"].browse(vals["fund_id"])
        funds._lock_for_budget()
        res = super().write(vals)
        funds._check_available()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked(self):
        for line in self:
            if line.kind != "manual" or line.fund_id.state != "draft":
                raise UserError(
                    _(
                        "Only manual allocations of a draft fund can be deleted: "
                        "add a correcting line instead."
                    )
                )

    def unlink(self):
        funds = self.fund_id
        funds._lock_for_budget()
        res = super().unlink()
        funds.exists()._check_available()
        return res
