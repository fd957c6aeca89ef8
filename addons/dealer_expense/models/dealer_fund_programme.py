from odoo import api, fields, models


class DealerFundProgramme(models.Model):
    _name = "dealer.fund.programme"
    _description = "Market Programme"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    description = fields.Text()
    fund_ids = fields.One2many("dealer.fund", "programme_id", string="Funds")
    fund_count = fields.Integer(compute="_compute_fund_count")

    @api.depends("fund_ids")
    def _compute_fund_count(self):
        counts = dict(
            self.env["dealer.fund"]._read_group(
                [("programme_id", "in", self.ids)], ["programme_id"], ["__count"]
            )
        )
        for programme in self:
            programme.fund_count = counts.get(programme, 0)

    def action_view_funds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_expense.dealer_fund_action"
        )
        action["domain"] = [("programme_id", "=", self.id)]
        action["context"] = {"default_programme_id": self.id}
        return action
