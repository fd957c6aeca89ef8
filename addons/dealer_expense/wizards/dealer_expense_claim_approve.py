from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DealerExpenseClaimApprove(models.TransientModel):
    _name = "dealer.expense.claim.approve"
    _description = "Approve Expense Claims"

    claim_ids = fields.Many2many(
        "dealer.expense.claim",
        default=lambda self: self._default_claims(),
        required=True,
    )
    claim_count = fields.Integer(compute="_compute_claim_count")
    currency_id = fields.Many2one(
        compute="_compute_claim_count", comodel_name="res.currency"
    )
    requested_amount = fields.Monetary(compute="_compute_claim_count")
    approved_amount = fields.Monetary(
        help="Less than requested approves part of the claim; say why."
    )
    reason = fields.Text(help="Shown to the dealer.")

    def _default_claims(self):
        if self.env.context.get("active_model") != "dealer.expense.claim":
            return self.env["dealer.expense.claim"]
        return self.env["dealer.expense.claim"].browse(
            self.env.context.get("active_ids", [])
        )

    @api.depends("claim_ids")
    def _compute_claim_count(self):
        for wizard in self:
            claims = wizard.claim_ids
            wizard.claim_count = len(claims)
            wizard.currency_id = claims[:1].currency_id
            wizard.requested_amount = claims.requested_amount if len(claims) == 1 else 0

    @api.onchange("claim_ids")
    def _onchange_claim_ids(self):
        if len(self.claim_ids) == 1:
            self.approved_amount = self.claim_ids.requested_amount

    def action_approve(self):
        self.ensure_one()
        if not self.claim_ids:
            raise UserError(_("Choose the claims to approve."))
        if len(self.claim_ids) == 1:
            self.claim_ids.action_approve(self.approved_amount, self.reason)
        else:
            self.claim_ids.action_approve(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
