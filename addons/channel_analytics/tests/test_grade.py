from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time

from .common_grade import GradeCommon


@freeze_time("2026-11-27")
class TestGrade(GradeCommon):
    """Each metric of the scorecard and the grade, computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealers = cls.dealer_a | cls.dealer_b | cls.sub_dealer
        with freeze_time("2026-11-27"):
            cls.grades = cls.env["dealer.grade"]._recompute_grades(dealers=cls.dealers)

    def test_window_is_the_12_months_to_last_month(self):
        grade = self._grade(self.dealer_a)
        self.assertEqual(len(self.grades), 3)
        self.assertEqual(str(grade.date_from), "2025-11-01")
        self.assertEqual(str(grade.date_to), "2026-10-31")
        self.assertTrue(grade.is_current)
        self.assertEqual(grade.region_id, self.env.ref("dealer_portal.territory_east"))

    def test_dealer_a_scorecard(self):
        grade = self._grade(self.dealer_a)
        self.assertEqual(
            self._metrics(grade),
            {
                # 380 + 800 + 475 - 80 sold in the 12 months; 2,000 scores 100
                "volume": (1575.0, 0.0, 1575.0, 78.75),
                # against 1,400 the year before: +12.5 %, half of +20 % above 50
                "growth": (1575.0, 1400.0, 12.5, 81.25),
                # 10 + 20 + 5 - 2 units of 300 received: 11 %, of 50 % for 100
                "sell_through": (33.0, 300.0, 11.0, 22.0),
                # 4 posted lines and 2 in review: the diversion weighs 3, the
                # oversold line 1; 1 - 4/6
                "compliance": (4.0, 6.0, 33.33, 33.33),
                # 1,000 overdue of 10,000 invoiced: 10 %, half of the 20 % for 0
                "payment": (1000.0, 10000.0, 10.0, 50.0),
                # 1,275 sold during the claim, nothing before, on 1,000 spent
                "roi": (1275.0, 1000.0, 1.28, 63.75),
            },
        )
        # 0.3 × 78.75 + 0.1 × 81.25 + 0.2 × 22 + 0.2 × 33.33 + 0.1 × 50 + 0.1 × 63.75
        self.assertAlmostEqual(grade.score, 54.2)
        self.assertEqual(grade.computed_grade, "C")
        self.assertEqual(grade.grade, "C")
        self.assertAlmostEqual(sum(grade.line_ids.mapped("contribution")), 54.2, 1)

    def test_dealer_b_and_sub_dealer(self):
        b = self._grade(self.dealer_b)
        self.assertEqual(
            self._metrics(b),
            {
                "volume": (780.0, 0.0, 780.0, 39.0),
                "growth": (780.0, 0.0, None, 50.0),  # nothing the year before
                "sell_through": (20.0, 100.0, 20.0, 40.0),
                "compliance": (0.0, 2.0, 100.0, 100.0),
                "payment": (0.0, 0.0, None, 100.0),  # never invoiced, nothing due
                "roi": (0.0, 0.0, None, 50.0),  # no spend
            },
        )
        self.assertAlmostEqual(b.score, 59.7)
        self.assertEqual(b.grade, "C")
        sub = self._grade(self.sub_dealer)
        # nothing to measure: neutral points but for volume and payment
        self.assertAlmostEqual(sub.score, 40.0)
        self.assertEqual(sub.grade, "D")

    def test_every_metric_explains_itself(self):
        lines = self._grade(self.dealer_a).line_ids
        self.assertEqual(len(lines), 6)
        for line in lines:
            self.assertTrue(line.explanation, line.metric)
        volume = lines.filtered(lambda line: line.metric == "volume")
        self.assertIn("1,575", volume.explanation)
        self.assertIn("2,000", volume.explanation)
        compliance = lines.filtered(lambda line: line.metric == "compliance")
        self.assertIn("33.3 %", compliance.explanation)
        growth_b = self._grade(self.dealer_b).line_ids.filtered(
            lambda line: line.metric == "growth"
        )
        self.assertIn("neutral", growth_b.explanation)
        chinese = volume.with_context(lang="zh_CN")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertTrue(chinese.explanation)

    def test_settings_weigh_and_grade(self):
        self.company.dealer_grade_threshold_c = 55
        self.company.dealer_grade_weight_volume = 0
        grades = self.Grade._recompute_grades(dealers=self.dealers)
        grade_a = self._grade(self.dealer_a)
        self.assertEqual(grades, self.grades, "the period's grades are updated")
        # the volume's weight gone: (8.125 + 4.4 + 6.667 + 5 + 6.375) / 0.7
        self.assertAlmostEqual(grade_a.score, 43.7)
        self.assertEqual(grade_a.grade, "D")
        self.assertEqual(len(grade_a.line_ids), 6)
        self.assertEqual(
            grade_a.line_ids.filtered(lambda line: line.metric == "volume").weight, 0
        )
        with self.assertRaises(ValidationError):
            self.company.dealer_grade_threshold_b = 90

    def test_override_with_reason_kept_in_history(self):
        grade_b = self._grade(self.dealer_b)
        with self.assertRaises(UserError):
            grade_b.action_override("B", "  ")
        with self.assertRaises(ValidationError):
            grade_b.write({"override_grade": "B"})
        grade_b.with_context(tracking_disable=False).action_override(
            "B", "新开发的重点市场，扶持一年"
        )
        self.assertEqual(grade_b.grade, "B")
        self.assertEqual(grade_b.computed_grade, "C")
        self.assertEqual(grade_b.override_uid, self.env.user)
        self.assertTrue(grade_b.is_overridden)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = grade_b.message_ids.tracking_value_ids
        self.assertIn("新开发的重点市场，扶持一年", tracked.mapped("new_value_text"))
        # recomputing the period keeps the override; the next period is new
        self.Grade._recompute_grades(dealers=self.dealers)
        self.assertEqual(grade_b.grade, "B")
        self.assertEqual(grade_b.override_reason, "新开发的重点市场，扶持一年")
        self.Grade._recompute_grades(dealers=self.dealers, period="2026-11-15")
        november = self._grade(self.dealer_b, "2026-11-01")
        self.assertEqual(november.grade, "C")
        self.assertFalse(november.is_overridden)
        self.assertTrue(november.is_current)
        self.assertFalse(grade_b.is_current)
        history = self.Grade.search([("dealer_id", "=", self.dealer_b.id)])
        self.assertEqual(history, grade_b | november)
        self.assertEqual(self.dealer_b.dealer_grade, "C")
        self.assertEqual(self.dealer_b.dealer_grade_id, november)
        # going back to the computed grade
        grade_b.action_override(False, False)
        self.assertEqual(grade_b.grade, "C")

    def test_cron_grades_every_dealer_and_ranks_customers(self):
        self.Grade.search([]).unlink()
        self.env["dealer.grade"]._cron_recompute_grades()
        dealers = self.env["res.partner"].search(
            [
                ("is_dealer", "=", True),
                ("company_id", "in", [False, self.env.company.id]),
            ]
        )
        grades = self.Grade.search([("period", "=", "2026-10-01")])
        self.assertEqual(grades.dealer_id, dealers)
        self.assertTrue(all(grades.mapped("is_current")))
        key = self.env["dealer.key.customer"].search(
            [("dealer_id", "=", self.dealer_a.id)]
        )
        self.assertEqual(key.customer_id, self.customer_a)
        cron = self.env.ref("channel_analytics.dealer_grade_cron")
        self.assertEqual(cron.interval_type, "months")
        self.assertEqual(cron.code.strip(), "model._cron_recompute_grades()")

    def test_dealer_grade_on_partner_and_search(self):
        self.assertEqual(self.dealer_a.dealer_grade, "C")
        self.assertEqual(self.sub_dealer.dealer_grade, "D")
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("dealer_grade", "=", "D")]) & self.dealers,
            self.sub_dealer,
        )
        self.assertEqual(
            Partner.search([("dealer_grade", "in", ["C"])]) & self.dealers,
            self.dealer_a | self.dealer_b,
        )
        self.assertFalse(Partner.search([("dealer_grade", "=", False)]) & self.dealers)
        self.assertEqual(
            Partner.search([("dealer_grade", "not in", ["C"])]) & self.dealers,
            self.sub_dealer,
        )
        self._grade(self.sub_dealer).unlink()
        self.assertEqual(
            Partner.search([("dealer_grade", "=", False)]) & self.dealers,
            self.sub_dealer,
        )
        self.assertEqual(
            Partner.search([("dealer_grade", "!=", False)]) & self.dealers,
            self.dealer_a | self.dealer_b,
        )
        action = self.dealer_a.action_view_dealer_grades()
        self.assertEqual(action["domain"], [("dealer_id", "=", self.dealer_a.id)])

    def test_announcement_to_grades(self):
        announcement = self.env["dealer.announcement"].create(
            {"name": "D 级经销商整改通知", "audience_all": False, "for_grade_d": True}
        )
        announcement.action_publish()
        self.assertEqual(announcement.recipient_ids.dealer_id, self.sub_dealer)
        both = self.env["dealer.announcement"].create(
            {
                "name": "浙江 C 级经销商",
                "audience_all": False,
                "territory_ids": [(6, 0, self.zhejiang.ids)],
                "for_grade_c": True,
            }
        )
        both.action_publish()
        self.assertEqual(both.recipient_ids.dealer_id, self.dealer_a)

    def test_manager_recomputes_on_demand(self):
        result = (
            self.Grade.with_user(self.channel_manager)
            .with_context(tracking_disable=True)
            .action_recompute()
        )
        self.assertEqual(result["tag"], "display_notification")
        self.assertTrue(self._grade(self.env.ref("dealer_portal.dealer_d002")))


@freeze_time("2026-11-27")
class TestGradeSubDealer(GradeCommon):
    """A sub-dealer's sell-in is what its upstream dealer delivered to it; the
    upstream's line is not one of the sub-dealer's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["dealer.customer"].create(
            {
                "dealer_id": cls.dealer_a.id,
                "code": "C-A-SUB",
                "name": "湖州测试分销（下级）",
                "state_id": cls.state_zhejiang.id,
                "city": "湖州市",
                "partner_id": cls.sub_dealer.id,
            }
        )
        with freeze_time("2026-11-27"):
            batch = cls._report(
                cls.dealer_a, ("2026-10-25", "T-TEA", "10", "40", "C-A-SUB", "LOT-A1")
            )
            cls.transfer = batch.line_ids
            cls.transfer._confirm_transfer()
            dealers = cls.dealer_a | cls.sub_dealer
            cls.grades = env["dealer.grade"]._recompute_grades(dealers=dealers)

    def test_transfer_is_the_sub_dealers_sell_in(self):
        self.assertEqual(self.transfer.kind, "transfer_out")
        self.assertEqual(self.transfer.transfer_state, "confirmed")
        sub = self._metrics(self._grade(self.sub_dealer))
        self.assertEqual(sub["sell_through"], (0.0, 10.0, 0.0, 0.0))
        # the upstream dealer's line is not the sub-dealer's to answer for
        self.assertEqual(sub["compliance"], (0.0, 0.0, None, 50.0))
        a = self._metrics(self._grade(self.dealer_a))
        self.assertEqual(a["compliance"][1], 7.0)  # one more posted line
        self.assertEqual(a["volume"][0], 1975.0)  # 1,575 + 10 × 40


@freeze_time("2026-11-27")
class TestGradeQueries(GradeCommon):
    """Grading is set-based: as many queries for 13 dealers as for 3."""

    def _queries(self, dealers):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.Grade._recompute_grades(dealers=dealers)
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_dealers(self):
        more = self.env["res.partner"].create(
            [
                {
                    "name": f"测试经销商 {index}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": f"TQ{index:02d}",
                    "dealer_territory_ids": [(6, 0, self.zhejiang.ids)],
                }
                for index in range(10)
            ]
        )
        few = self.dealer_a | self.dealer_b | self.sub_dealer
        self._queries(few)  # warm the caches
        counts = {}
        for name, dealers in (("few", few), ("many", few | more)):
            self.Grade.search([]).unlink()
            created = self._queries(dealers)
            updated = self._queries(dealers)  # the same period again
            counts[name] = (created, updated)
        self.assertEqual(counts["many"], counts["few"])
        self.assertGreater(counts["few"][0], 5)
