from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dealer_expense_manager_limit = fields.Monetary(
        string="Claims Above Need a Channel Manager",
        currency_field="currency_id",
        default=10000.0,
        help="Claims asking for more than this (in the company's currency) are "
        "approved by a channel manager; up to it, any channel user may approve.",
    )
    dealer_expense_finance_limit = fields.Monetary(
        string="Claims Above Need a Finance Manager",
        currency_field="currency_id",
        default=50000.0,
        help="Claims asking for more than this are approved by an accounting "
        "manager. Zero: no such level.",
    )
    dealer_expense_manager_approver_id = fields.Many2one(
        "res.users",
        string="Claims Approver",
        domain=[("share", "=", False)],
        help="Asked to approve claims whose dealer's salesperson may not approve them.",
    )
    dealer_expense_finance_approver_id = fields.Many2one(
        "res.users",
        string="Large Claims Approver",
        domain=[("share", "=", False)],
        help="Asked to approve the claims above the finance limit.",
    )
