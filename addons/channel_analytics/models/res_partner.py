from odoo import fields, models

from .dealer_grade import GRADES

KEY_CUSTOMERS_ON_PORTAL = 10


class ResPartner(models.Model):
    _inherit = "res.partner"

    dealer_grade_id = fields.Many2one(
        "dealer.grade",
        string="Current Grade Record",
        compute="_compute_dealer_grade",
        groups="dealer_portal.group_channel_user",
    )
    dealer_grade = fields.Selection(
        GRADES,
        compute="_compute_dealer_grade",
        search="_search_dealer_grade",
        help="The dealer's latest grade in the current company.",
    )

    def _compute_dealer_grade(self):
        grades = self.env["dealer.grade"].search(
            [
                ("dealer_id", "in", self.ids),
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
            ]
        )
        by_dealer = {grade.dealer_id.id: grade for grade in grades}
        for partner in self:
            grade = by_dealer.get(partner.id, self.env["dealer.grade"])
            partner.dealer_grade_id = grade
            partner.dealer_grade = grade.grade

    def _search_dealer_grade(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        grades = [value] if isinstance(value, str) or not value else list(value)
        positive = operator in ("=", "in")
        query = self.env["dealer.grade"]._search(
            [
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
                ("grade", "in", [grade for grade in grades if grade]),
            ]
        )
        return [("id", "in" if positive else "not in", query.subselect("dealer_id"))]

    def action_view_dealer_grades(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "channel_analytics.dealer_grade_action"
        )
        action["domain"] = [("dealer_id", "=", self.id)]
        action["context"] = {"search_default_dealer_id": self.id}
        return action

    def _dealer_grading_portal_values(self):
        """What the dealer's analytics page shows of its grade, key customers
        and regional benchmarks: the values of the templates
        ``channel_analytics.portal_dealer_grade``, ``portal_dealer_key_customers``
        and ``portal_dealer_benchmarks``.

        Read with the caller's rights: a dealer's portal user reads its own
        grade and customers only; the regional medians are the one figure
        about other dealers, and only when enough dealers make them.
        """
        self.ensure_one()
        grade = self.env["dealer.grade"].search(
            [
                ("dealer_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("is_current", "=", True),
            ],
            limit=1,
        )
        key_customers = self.env["dealer.key.customer"].search(
            [("dealer_id", "=", self.id), ("company_id", "=", self.env.company.id)],
            limit=KEY_CUSTOMERS_ON_PORTAL,
        )
        return {
            "dealer_grade": grade,
            "dealer_key_customers": key_customers,
            "dealer_benchmarks": grade._benchmarks() if grade else [],
        }
