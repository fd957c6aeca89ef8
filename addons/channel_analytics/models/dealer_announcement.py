from odoo import fields, models
from odoo.osv import expression


class DealerAnnouncement(models.Model):
    _inherit = "dealer.announcement"

    for_grade_a = fields.Boolean(string="Grade A")
    for_grade_b = fields.Boolean(string="Grade B")
    for_grade_c = fields.Boolean(string="Grade C")
    for_grade_d = fields.Boolean(string="Grade D")

    def _audience_grades(self):
        self.ensure_one()
        return [
            grade
            for grade, chosen in (
                ("A", self.for_grade_a),
                ("B", self.for_grade_b),
                ("C", self.for_grade_c),
                ("D", self.for_grade_d),
            )
            if chosen
        ]

    def _audience_domain(self):
        """Also address the dealers of chosen grades (their current one)."""
        domain = super()._audience_domain()
        grades = self._audience_grades()
        if self.audience_all or not grades:
            return domain
        by_grade = [("dealer_grade", "in", grades)]
        if domain == expression.FALSE_DOMAIN:
            # grades are the only criterion chosen
            dealers = [
                ("is_dealer", "=", True),
                ("company_id", "in", [False, self.company_id.id]),
            ]
            return expression.AND([dealers, by_grade])
        return expression.AND([domain, by_grade])
