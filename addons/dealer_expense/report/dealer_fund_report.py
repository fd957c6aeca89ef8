from odoo import fields, models
from odoo.tools import SQL

MOVEMENTS = [
    ("allocation", "Allocation"),
    ("commitment", "Commitment"),
    ("consumption", "Consumption"),
]


class DealerFundReport(models.Model):
    """Every movement of every fund: allocations, claims committed and claims
    consumed, so that balances add up along any axis and over time."""

    _name = "dealer.fund.report"
    _description = "Market Fund Analysis"
    _auto = False
    _rec_name = "fund_id"
    _order = "date desc"
    _depends = {
        "dealer.fund": [
            "programme_id",
            "dealer_id",
            "territory_id",
            "state",
            "company_id",
            "currency_id",
        ],
        "dealer.fund.line": ["fund_id", "date", "kind", "amount"],
        "dealer.expense.claim": [
            "fund_id",
            "dealer_id",
            "expense_type_id",
            "submitted_date",
            "approved_date",
            "written_off_date",
            "committed_amount",
            "consumed_amount",
        ],
    }

    fund_id = fields.Many2one("dealer.fund", readonly=True)
    programme_id = fields.Many2one("dealer.fund.programme", readonly=True)
    fund_dealer_id = fields.Many2one("res.partner", readonly=True)
    dealer_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The claim's dealer, or the fund's for allocations.",
    )
    territory_id = fields.Many2one("dealer.territory", readonly=True)
    fund_state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    movement = fields.Selection(MOVEMENTS, readonly=True)
    allocation_kind = fields.Selection(
        [("manual", "Manual"), ("transfer", "Transfer"), ("accrual", "Accrual")],
        readonly=True,
    )
    claim_id = fields.Many2one("dealer.expense.claim", readonly=True)
    expense_type_id = fields.Many2one("dealer.expense.type", readonly=True)
    allocated_amount = fields.Monetary(string="Allocated", readonly=True)
    committed_amount = fields.Monetary(string="Committed", readonly=True)
    consumed_amount = fields.Monetary(string="Consumed", readonly=True)
    available_amount = fields.Monetary(string="Available", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s",
            self._select(),
            self._from(),
            self._where(),
        )

    def _select(self):
        return SQL(
            """
            movement.id,
            movement.fund_id,
            fund.programme_id,
            fund.dealer_id AS fund_dealer_id,
            COALESCE(movement.dealer_id, fund.dealer_id) AS dealer_id,
            fund.territory_id,
            fund.state AS fund_state,
            fund.company_id,
            fund.currency_id,
            movement.date,
            movement.movement,
            movement.allocation_kind,
            movement.claim_id,
            movement.expense_type_id,
            movement.allocated AS allocated_amount,
            movement.committed AS committed_amount,
            movement.consumed AS consumed_amount,
            movement.allocated - movement.committed - movement.consumed
                AS available_amount
            """
        )

    def _from(self):
        return SQL(
            "(%s) AS movement JOIN dealer_fund fund ON fund.id = movement.fund_id",
            self._movements(),
        )

    def _movements(self):
        # Stable ids: three rows at most per line or claim, never two alike.
        return SQL(
            """
            SELECT line.id * 3 AS id, line.fund_id, line.date,
                   'allocation' AS movement, line.kind AS allocation_kind,
                   NULL::integer AS claim_id, NULL::integer AS expense_type_id,
                   NULL::integer AS dealer_id,
                   line.amount AS allocated, 0::numeric AS committed,
                   0::numeric AS consumed
              FROM dealer_fund_line line
             UNION ALL
            SELECT claim.id * 3 + 1, claim.fund_id,
                   COALESCE(claim.approved_date, claim.submitted_date)::date,
                   'commitment', NULL, claim.id, claim.expense_type_id,
                   claim.dealer_id, 0, claim.committed_amount, 0
              FROM dealer_expense_claim claim
             WHERE claim.committed_amount != 0
             UNION ALL
            SELECT claim.id * 3 + 2, claim.fund_id, claim.written_off_date,
                   'consumption', NULL, claim.id, claim.expense_type_id,
                   claim.dealer_id, 0, 0, claim.consumed_amount
              FROM dealer_expense_claim claim
             WHERE claim.consumed_amount != 0
            """
        )

    def _where(self):
        return SQL("TRUE")
