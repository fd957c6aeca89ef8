from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_claim_ids = fields.One2many(
        "dealer.expense.claim", "dealer_id", string="Expense Claims"
    )
    dealer_claim_count = fields.Integer(compute="_compute_dealer_claim_count")

    @api.depends("dealer_claim_ids")
    def _compute_dealer_claim_count(self):
        counts = dict(
            self.env["dealer.expense.claim"]._read_group(
                [("dealer_id", "in", self.ids)], ["dealer_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dealer_claim_count = counts.get(partner, 0)

    def action_view_dealer_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_expense.dealer_expense_claim_action"
        )
        action["domain"] = [("dealer_id", "=", self.id)]
        action["context"] = {"default_dealer_id": self.id}
        return action

    def action_view_dealer_funds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_expense.dealer_fund_action"
        )
        action["domain"] = [("eligible_dealer_ids", "in", self.ids)]
        action["context"] = {"default_dealer_id": self.id}
        return action

    def _dealer_territory_choices(self):
        """The territories a dealer may name on a claim: its own and inside them."""
        self.ensure_one()
        if not self.dealer_territory_ids:
            return self.env["dealer.territory"]
        return self.env["dealer.territory"].search(
            [("id", "child_of", self.dealer_territory_ids.ids)]
        )
