from odoo import _, api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dealer_expense_claim_id = fields.Many2one(
        "dealer.expense.claim",
        string="Expense Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The dealer's expense claim this document writes off.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        reversed_write_offs = posted.reversed_entry_id.filtered(
            "dealer_expense_claim_id"
        )
        if reversed_write_offs:
            reversed_write_offs._undo_dealer_expense_write_off(_("reversed"))
        return posted

    def button_cancel(self):
        res = super().button_cancel()
        self.filtered(
            lambda move: move.dealer_expense_claim_id and move.state == "cancel"
        )._undo_dealer_expense_write_off(_("cancelled"))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_undo_dealer_expense_write_off(self):
        self.filtered("dealer_expense_claim_id")._undo_dealer_expense_write_off(
            _("deleted")
        )

    def _undo_dealer_expense_write_off(self, how):
        # Whoever reverses, cancels or deletes the document in accounting (its
        # rights were checked there) puts its claim back to approved, also
        # without rights on claims.
        self.dealer_expense_claim_id.sudo()._undo_write_off(self, how)

    def action_view_dealer_expense_claim(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.expense.claim",
            "res_id": self.dealer_expense_claim_id.id,
            "views": [(False, "form")],
        }
