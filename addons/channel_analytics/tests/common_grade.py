from odoo.fields import Command
from odoo.tests import freeze_time

from .common import AnalyticsCommon


class GradeCommon(AnalyticsCommon):
    """The analytics channel, with what the scorecard also measures.

    On top of ``AnalyticsCommon``'s trade (dealer A sells 1,575 net from
    2026-09 to 2026-10 out of 300 units received, dealer B 780 out of 100):

    - dealer A sold 35 teas at 40 (1,400) on 2025-10-15, a year before the
      12 months graded (November 2025 to October 2026), from a delivery of
      2025-10-01;
    - dealer A reported two more lines on 2026-10-20, both waiting for
      review: one to a customer in 上海 (a diversion) and one of 1,000 teas
      (more than it holds);
    - dealer A was invoiced 1,000 due 2026-09-30 (overdue at the period's
      end) and 9,000 due 2026-12-31;
    - dealer A's claim of 1,000 for 2026-10-10 to 2026-10-12 was approved:
      its sell-out then was 800 + 475, nothing in the 3 days before.

    Settings: weights volume 30, growth 10, sell-through 20, compliance 20,
    payment 10, ROI 10; full points at 2,000 sell-out, +20 % growth, 50 %
    sell-through, ROI 2; a diversion counts 3 lines; 20 % overdue scores 0;
    grades A from 80, B from 65, C from 50.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the demo's grades and rankings are not this channel's
        env["dealer.grade"].search([]).unlink()
        env["dealer.key.customer"].search([]).unlink()
        cls.company.write(
            {
                "dealer_grade_weight_volume": 30,
                "dealer_grade_weight_growth": 10,
                "dealer_grade_weight_sell_through": 20,
                "dealer_grade_weight_compliance": 20,
                "dealer_grade_weight_payment": 10,
                "dealer_grade_weight_roi": 10,
                "dealer_grade_volume_target": 2000,
                "dealer_grade_growth_target": 20,
                "dealer_grade_sell_through_target": 50,
                "dealer_grade_diversion_weight": 3,
                "dealer_grade_overdue_tolerance": 20,
                "dealer_grade_roi_target": 2,
                "dealer_grade_threshold_a": 80,
                "dealer_grade_threshold_b": 65,
                "dealer_grade_threshold_c": 50,
            }
        )
        env["dealer.sellout.rule"].search(
            [("code", "in", ("territory", "oversell"))]
        ).severity = "blocking"
        cls._deliver(cls.dealer_a, cls.product_tea, 50, "LOT-A0", date="2025-10-01")
        cls.customer_a_shanghai = env["dealer.customer"].create(
            {
                "dealer_id": cls.dealer_a.id,
                "code": "C-A-SH",
                "name": "上海越界客户",
                "state_id": cls.state_shanghai.id,
                "city": "上海市",
            }
        )
        with freeze_time("2026-11-27"):
            cls.batch_a_last_year = cls._report(
                cls.dealer_a, ("2025-10-15", "T-TEA", "35", "40", "C-A-001", "LOT-A0")
            )
            cls.batch_a_diverted = cls._report(
                cls.dealer_a, ("2026-10-20", "T-TEA", "1", "40", "C-A-SH", "")
            )
            cls.batch_a_oversold = cls._report(
                cls.dealer_a, ("2026-10-20", "T-TEA", "1000", "40", "C-A-001", "")
            )
        cls.invoice_overdue = cls._customer_invoice(cls.dealer_a, 1000, "2026-09-30")
        cls.invoice_open = cls._customer_invoice(cls.dealer_a, 9000, "2026-12-31")
        cls.claim_a = cls._approved(1000)
        cls.Grade = env["dealer.grade"]

    @classmethod
    def _customer_invoice(cls, dealer, amount, due, date="2026-09-01"):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": dealer.id,
                "invoice_date": date,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "测试货款",
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _grade(self, dealer, period="2026-10-01"):
        return self.Grade.search(
            [("dealer_id", "=", dealer.id), ("period", "=", period)]
        )

    def _metrics(self, grade):
        """``{metric: (figure, basis, value or None, points)}``, rounded."""
        return {
            line.metric: (
                round(line.figure, 2),
                round(line.basis, 2),
                round(line.value, 2) if line.has_value else None,
                round(line.points, 2),
            )
            for line in grade.line_ids
        }
