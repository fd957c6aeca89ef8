from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
    """A rule a sell-out line breaks, with the evidence a reviewer acts on.

    The dealer reads ``message``; channel staff also read ``staff_message`` and
    ``evidence``, which may name other dealers, their deliveries or prices.
    Staff waive an issue (the line may then be posted) or reject it (the line
    goes back to the dealer), always with a reason the dealer reads.
    """

    _name = "dealer.sellout.issue"
    _description = "Sell-out Issue"
    _order = "id desc"

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
    message = fields.Text(required=True, help="What the dealer reads.")
    staff_message = fields.Text(
        groups="dealer_portal.group_channel_user",
        help="The full finding, which may name other dealers or their deliveries.",
    )
    evidence = fields.Json(groups="dealer_portal.group_channel_user")
    evidence_text = fields.Text(
        compute="_compute_evidence_text", groups="dealer_portal.group_channel_user"
    )
    state = fields.Selection(ISSUE_STATES, required=True, default="open", index=True)
    decision_reason = fields.Text(readonly=True)
    decided_uid = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_date = fields.Datetime(readonly=True)
    line_row = fields.Integer(
        related="line_id.row_number", string="Row", aggregator=None
    )
    line_state = fields.Selection(related="line_id.state", string="Line Status")
    date = fields.Date(readonly=True, index=True, help="The date of the sale.")
    territory_id = BulkMany2one(
        "dealer.territory", string="Customer's Place", readonly=True
    )
    region_id = BulkMany2one("dealer.territory", string="Region", readonly=True)
    product_id = fields.Many2one(related="line_id.product_id")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="The quantity of the line.",
    )
    customer_name = fields.Char(compute="_compute_customer_name")

    @api.depends("line_id.customer_id", "line_id.customer_name")
    def _compute_customer_name(self):
        for issue in self:
            issue.customer_name = (
                issue.line_id.customer_id.display_name or issue.line_id.customer_name
            )

    @api.depends("evidence")
    def _compute_evidence_text(self):
        for issue in self:
            issue.evidence_text = "\n".join(
                f"{key}: {value}" for key, value in (issue.evidence or {}).items()
            )

    @api.depends("rule", "line_id")
    def _compute_display_name(self):
        labels = dict(self._fields["rule"]._description_selection(self.env))
        for issue in self:
            issue.display_name = (
                f"{labels.get(issue.rule)} — {issue.line_id.display_name}"
            )

    def action_open_batch(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.sellout.batch",
            "res_id": self.batch_id.id,
            "view_mode": "form",
        }

    def _decide(self, decision, reason):
        """Waive or reject these issues, then post or refuse their lines.

        A line in review is posted once none of its blocking issues is open any
        more; a rejected issue rejects its line, which goes back to the dealer.
        Every decision is written on the batch's chatter, which the dealer reads.
        """
        if decision not in ("waived", "rejected"):
            raise UserError(_("Choose to waive or to reject."))
        if not (reason or "").strip():
            raise UserError(_("Give a reason: the dealer reads it."))
        if any(issue.state != "open" for issue in self):
            raise UserError(_("Some of these issues are decided already."))
        if any(issue.line_id.state != "review" for issue in self):
            raise UserError(
                _("Only lines submitted and waiting for review can be decided on.")
            )
        self.write(
            {
                "state": decision,
                "decision_reason": reason.strip(),
                "decided_uid": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        lines = self.line_id.filtered(lambda line: line.state == "review")
        Batch = self.env["dealer.sellout.batch"]
        for batch in lines.batch_id:
            batch_lines = lines.filtered(
                lambda line, batch=batch: line.batch_id == batch
            )
            refused = batch_lines.filtered(
                lambda line: any(i.state == "rejected" for i in line.issue_ids)
            )
            ready = batch_lines - refused
            ready = ready.filtered(
                lambda line: (
                    not any(
                        i.severity == "blocking" and i.state == "open"
                        for i in line.issue_ids
                    )
                )
            )
            # Decisions are taken by channel staff, who may not write the lines,
            # batches or ledger by hand: posting is done for them, as on submit.
            batch_sudo = batch.sudo()
            if refused:
                refused.sudo().write({"state": "rejected"})
            if ready:
                batch_sudo._lock_ledger()
                batch_sudo._post(SQL("l.id = ANY(%s)", ready.ids))
            batch_sudo._decisions_posted(
                self.filtered(lambda i, b=batch: i.batch_id == b)
            )
        Batch.invalidate_model()
        return True

    @api.model
    def _rule_help(self):
        """Each rule's name, what it means and what the dealer can do."""
        return {
            code: (
                self.env._(rule.label),
                self.env._(rule.help),
                self.env._(rule.advice),
            )
            for code, rule in RULES.items()
        }
