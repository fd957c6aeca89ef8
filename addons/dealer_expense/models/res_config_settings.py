from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_expense_manager_limit = fields.Monetary(
        related="company_id.dealer_expense_manager_limit", readonly=False
    )
    dealer_expense_finance_limit = fields.Monetary(
        related="company_id.dealer_expense_finance_limit", readonly=False
    )
    dealer_expense_manager_approver_id = fields.Many2one(
        related="company_id.dealer_expense_manager_approver_id", readonly=False
    )
    dealer_expense_finance_approver_id = fields.Many2one(
        related="company_id.dealer_expense_finance_approver_id", readonly=False
    )
