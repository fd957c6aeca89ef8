from odoo import api, fields, models

from ..services.sellout_rules import RULES
from .fields_bulk import BulkMany2one

ISSUE_STATES = [
    ("open", "Open"),
    ("waived", "Waived"),
    ("rejected", "Rejected"),
]
SEVERITIES = [("warning", "Warning"), ("blocking", "Blocking")]


def rule_selection(model):
    return [(code, str(rule.label)) for code, rule in RULES.items()]


class DealerSelloutIssue(models.Model):
    """A rule a sell-out line breaks, with the evidence a reviewer acts on."""

    _name = "dealer.sellout.issue"
    _description = "Sell-out Issue"
    _order = "id"

    line_id = fields.Many2one(
        "dealer.sellout.line", required=True, index=True, ondelete="cascade"
    )
    batch_id = fields.Many2one(
        "dealer.sellout.batch", required=True, index=True, ondelete="cascade"
    )
    dealer_id = BulkMany2one("res.partner", required=True, index=True)
    company_id = BulkMany2one("res.company", required=True)
    rule = fields.Selection(rule_selection, required=True, index=True)
    severity = fields.Selection(SEVERITIES, required=True)
    message = fields.Text(required=True)
    evidence = fields.Json()
    state = fields.Selection(ISSUE_STATES, required=True, default="open", index=True)
    line_row = fields.Integer(related="line_id.row_number", string="Row")
    line_date = fields.Date(related="line_id.date", string="Date")
    product_id = fields.Many2one(related="line_id.product_id")

    @api.depends("rule", "line_id")
    def _compute_display_name(self):
        labels = dict(self._fields["rule"]._description_selection(self.env))
        for issue in self:
            issue.display_name = (
                f"{labels.get(issue.rule)} — {issue.line_id.display_name}"
            )

    @api.model
    def _rule_help(self):
        """Each rule's name and what it means, in the user's language."""
        return {
            code: (self.env._(rule.label), self.env._(rule.help))
            for code, rule in RULES.items()
        }
