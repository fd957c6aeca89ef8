from odoo import fields, models


class DealerExpenseClaimReject(models.TransientModel):
    _name = "dealer.expense.claim.reject"
    _description = "Reject Expense Claims"

    claim_ids = fields.Many2many(
        "dealer.expense.claim",
        default=lambda self: self._default_claims(),
        required=True,
    )
    reason = fields.Text(required=True, help="Shown to the dealer.")

    def _default_claims(self):
        if self.env.context.get("active_model") != "dealer.expense.claim":
            return self.env["dealer.expense.claim"]
        return self.env["dealer.expense.claim"].browse(
            self.env.context.get("active_ids", [])
        )

    def action_reject(self):
        self.ensure_one()
        self.claim_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
