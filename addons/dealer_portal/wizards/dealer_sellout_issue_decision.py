from odoo import api, fields, models


class DealerSelloutIssueDecision(models.TransientModel):
    """Waive or reject sell-out issues, one or many, with a reason for the dealer."""

    _name = "dealer.sellout.issue.decision"
    _description = "Decide on Sell-out Issues"

    issue_ids = fields.Many2many("dealer.sellout.issue", string="Issues", required=True)
    decision = fields.Selection(
        [
            ("waived", "Waive: the line may be posted"),
            ("rejected", "Reject: the line goes back to the dealer"),
        ],
        required=True,
        default="waived",
    )
    reason = fields.Text(required=True, help="The dealer reads it.")
    issue_count = fields.Integer(compute="_compute_issue_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "dealer.sellout.issue":
            issues = self.env["dealer.sellout.issue"].browse(
                self.env.context.get("active_ids", [])
            )
            values["issue_ids"] = [
                fields.Command.set(issues.filtered(lambda i: i.state == "open").ids)
            ]
        if self.env.context.get("default_decision"):
            values["decision"] = self.env.context["default_decision"]
        return values

    @api.depends("issue_ids")
    def _compute_issue_count(self):
        for wizard in self:
            wizard.issue_count = len(wizard.issue_ids)

    def action_confirm(self):
        self.ensure_one()
        self.issue_ids._decide(self.decision, self.reason)
        return {"type": "ir.actions.act_window_close"}
