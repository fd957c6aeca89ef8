from odoo import fields, models

DECISION_KINDS = [
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
    ("reopened", "Back to Draft"),
    ("written_off", "Written Off"),
    ("write_off_undone", "Write-off Undone"),
]


class DealerExpenseClaimDecision(models.Model):
    """One step of a claim's life, who took it and why: the history the dealer
    reads. Written by the claim's workflow methods only."""

    _name = "dealer.expense.claim.decision"
    _description = "Expense Claim Decision"
    _order = "date desc, id desc"

    claim_id = fields.Many2one(
        "dealer.expense.claim", required=True, index=True, ondelete="cascade"
    )
    dealer_id = fields.Many2one(related="claim_id.dealer_id", store=True, index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="By", required=True)
    kind = fields.Selection(DECISION_KINDS, required=True)
    amount = fields.Monetary()
    reason = fields.Text()
    move_id = fields.Many2one("account.move", string="Document")
