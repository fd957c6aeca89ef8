from odoo import _, fields, models


class DealerExpenseWriteOff(models.TransientModel):
    _name = "dealer.expense.write.off"
    _description = "Write Off Expense Claims"

    claim_ids = fields.Many2many(
        "dealer.expense.claim",
        default=lambda self: self._default_claims(),
        required=True,
        domain=[("state", "in", ("approved", "written_off"))],
    )
    date = fields.Date(
        string="Accounting Date", required=True, default=fields.Date.context_today
    )

    def _default_claims(self):
        if self.env.context.get("active_model") != "dealer.expense.claim":
            return self.env["dealer.expense.claim"]
        return self.env["dealer.expense.claim"].browse(
            self.env.context.get("active_ids", [])
        )

    def action_write_off(self):
        self.ensure_one()
        moves, already = self.claim_ids.action_write_off(self.date)
        messages = []
        if moves:
            messages.append(
                _(
                    "%(count)s claim(s) written off: %(documents)s.",
                    count=len(moves),
                    documents=", ".join(moves.mapped("name")),
                )
            )
        if already:
            messages.append(
                _(
                    "Nothing done for %(claims)s: written off already.",
                    claims=", ".join(
                        f"{claim.name} ({claim.move_id.name})" for claim in already
                    ),
                )
            )
        next_action = {"type": "ir.actions.act_window_close"}
        if len(moves) > 1:
            next_action = {
                "type": "ir.actions.act_window",
                "name": _("Write-offs"),
                "res_model": "account.move",
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
                "domain": [("id", "in", moves.ids)],
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": " ".join(messages),
                "type": "success" if moves else "warning",
                "sticky": False,
                "next": next_action,
            },
        }
