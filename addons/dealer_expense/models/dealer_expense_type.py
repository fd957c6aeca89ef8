from odoo import _, api, fields, models
from odoo.exceptions import UserError

EXPENSE_ACCOUNT_TYPES = ("expense", "expense_direct_cost")
# Where a chart keeps its selling expenses: China's 6601 销售费用, the generic
# chart's "Sales Expenses"; the first match wins.
SELLING_EXPENSE_CODES = ("6601", "6401", "962")
SELLING_EXPENSE_NAMES = ("销售费用", "Sales Expense", "Selling Expense", "Marketing")


class DealerExpenseType(models.Model):
    _name = "dealer.expense.type"
    _description = "Dealer Expense Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    expense_account_id = fields.Many2one(
        "account.account",
        company_dependent=True,
        domain=[
            ("account_type", "in", EXPENSE_ACCOUNT_TYPES),
            ("deprecated", "=", False),
        ],
        help="The account written-off claims of this type are booked on, in the "
        "current company.",
    )
    requires_photo = fields.Boolean(
        string="Photo Required",
        default=True,
        help="A claim of this type needs at least one photo before it is submitted.",
    )
    requires_document = fields.Boolean(
        string="Document Required",
        help="A claim of this type needs at least one PDF document (an invoice, "
        "a contract, a report) before it is submitted.",
    )
    proof_description = fields.Text(
        string="Required Proof",
        translate=True,
        help="What the dealer must attach, as shown on the claim form.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Another expense type already has this code."),
    ]

    def _get_expense_account(self, company):
        """The account of this type in ``company``; a clear error without one."""
        self.ensure_one()
        account = self.with_company(company).expense_account_id
        if not account:
            raise UserError(
                _(
                    "The expense type %(type)s has no expense account in %(company)s: "
                    "set one on the type before writing off its claims.",
                    type=self.name,
                    company=company.name,
                )
            )
        return account

    @api.model
    def _default_expense_account(self, company):
        """A selling-expense account of ``company``'s chart, found by code or name,
        else the expense account its products use."""
        Account = self.env["account.account"].with_company(company)
        domain = [
            *Account._check_company_domain(company),
            ("account_type", "in", EXPENSE_ACCOUNT_TYPES),
            ("deprecated", "=", False),
        ]
        for code in SELLING_EXPENSE_CODES:
            account = Account.search(domain + [("code", "=like", f"{code}%")], limit=1)
            if account:
                return account
        for name in SELLING_EXPENSE_NAMES:
            account = Account.search(domain + [("name", "ilike", name)], limit=1)
            if account:
                return account
        category = self.env.ref(
            "product.product_category_all", raise_if_not_found=False
        )
        account = (
            category
            and category.with_company(company).property_account_expense_categ_id
        )
        return account or Account.search(domain, limit=1)

    @api.model
    def _setup_default_accounts(self):
        """Give every expense type an account in each company that has a chart."""
        companies = self.env["res.company"].search([("chart_template", "!=", False)])
        self.with_context(active_test=False).search([])._set_default_accounts(companies)

    def _set_default_accounts(self, companies):
        """Fill the types' missing accounts in ``companies`` with the default one."""
        for company in companies:
            account = self._default_expense_account(company)
            missing = self.with_company(company).filtered(
                lambda expense_type: not expense_type.expense_account_id
            )
            if account and missing:
                missing.expense_account_id = account
