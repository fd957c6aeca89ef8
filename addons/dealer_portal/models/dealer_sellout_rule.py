from odoo import api, fields, models

from ..services.sellout_rules import RULES
from .dealer_sellout_issue import SEVERITIES, rule_selection


class DealerSelloutRule(models.Model):
    """How a company weighs each sell-out rule: warning, blocking or off."""

    _name = "dealer.sellout.rule"
    _description = "Sell-out Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Selection(rule_selection, required=True, readonly=True)
    name = fields.Char(compute="_compute_name")
    description = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    severity = fields.Selection(SEVERITIES, required=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each rule is set once per company.",
        ),
    ]

    @api.depends("code")
    def _compute_name(self):
        for rule in self:
            definition = RULES[rule.code]
            rule.name = self.env._(definition.label)
            rule.description = self.env._(definition.help)

    @api.model
    def _severities(self, company):
        """The severity of each active rule for ``company``, defaults included.

        :return: dict rule code → severity, for the rules that are on
        """
        severities = {code: rule.default_severity for code, rule in RULES.items()}
        for setting in self.with_context(active_test=False).search(
            [("company_id", "=", company.id)]
        ):
            if setting.active:
                severities[setting.code] = setting.severity
            else:
                severities.pop(setting.code, None)
        return severities

    @api.model
    def _setup_company(self, companies):
        """Give each company one record per rule, at its default severity."""
        existing = {
            (rule.code, rule.company_id.id)
            for rule in self.with_context(active_test=False).search(
                [("company_id", "in", companies.ids)]
            )
        }
        self.create(
            [
                {
                    "code": code,
                    "company_id": company.id,
                    "severity": rule.default_severity,
                    "sequence": sequence,
                }
                for company in companies
                for sequence, (code, rule) in enumerate(RULES.items())
                if (code, company.id) not in existing
            ]
        )
