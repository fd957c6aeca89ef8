from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class DealerFundTransfer(models.TransientModel):
    _name = "dealer.fund.transfer"
    _description = "Transfer Budget Between Funds"

    source_fund_id = fields.Many2one(
        "dealer.fund",
        string="From Fund",
        required=True,
        domain=[("state", "=", "open")],
    )
    target_fund_id = fields.Many2one(
        "dealer.fund",
        string="To Fund",
        required=True,
        domain="[('state', '!=', 'closed'), ('id', '!=', source_fund_id), "
        "('company_id', '=', company_id), ('currency_id', '=', currency_id)]",
    )
    company_id = fields.Many2one(related="source_fund_id.company_id")
    currency_id = fields.Many2one(related="source_fund_id.currency_id")
    available_amount = fields.Monetary(related="source_fund_id.available_amount")
    amount = fields.Monetary(required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    description = fields.Char()

    @api.constrains("amount")
    def _check_amount(self):
        for transfer in self:
            if transfer.currency_id.compare_amounts(transfer.amount, 0) <= 0:
                raise UserError(_("Transfer more than zero."))

    def action_transfer(self):
        self.ensure_one()
        source, target = self.source_fund_id, self.target_fund_id
        if source == target:
            raise UserError(_("Choose two different funds."))
        if source.company_id != target.company_id or (
            source.currency_id != target.currency_id
        ):
            raise UserError(
                _("Budget moves between funds of one company and one currency only.")
            )
        if source.state != "open" or target.state == "closed":
            raise UserError(
                _("Budget moves out of an open fund, into a fund not closed.")
            )
        description = self.description or _(
            "Transfer %(from_fund)s → %(to_fund)s",
            from_fund=source.name,
            to_fund=target.name,
        )
        lines = self.env["dealer.fund.line"].create(
            [
                {
                    "fund_id": source.id,
                    "kind": "transfer",
                    "date": self.date,
                    "amount": -self.amount,
                    "description": description,
                },
                {
                    "fund_id": target.id,
                    "kind": "transfer",
                    "date": self.date,
                    "amount": self.amount,
                    "description": description,
                },
            ]
        )
        lines[0].counterpart_line_id = lines[1]
        lines[1].counterpart_line_id = lines[0]
        amount = format_amount(self.env, self.amount, self.currency_id)
        source.message_post(
            body=_(
                "%(amount)s transferred to %(fund)s.", amount=amount, fund=target.name
            )
        )
        target.message_post(
            body=_(
                "%(amount)s transferred from %(fund)s.", amount=amount, fund=source.name
            )
        )
        return {"type": "ir.actions.act_window_close"}
