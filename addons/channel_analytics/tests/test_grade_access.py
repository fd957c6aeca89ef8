from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user

from .common_grade import GradeCommon


@freeze_time("2026-11-27")
class TestGradeAccess(GradeCommon):
    """Who reads and changes which grades: channel staff by territory,
    dealers their own only, at the ORM and on the analytics page's blocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.zhejiang_manager = new_test_user(
            env,
            login="zj_grades",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[Command.set(cls.zhejiang.ids)],
        )
        cls.dealers = cls.dealer_a | cls.dealer_b | cls.sub_dealer
        with freeze_time("2026-11-27"):
            cls.grades = env["dealer.grade"]._recompute_grades(dealers=cls.dealers)
            env["dealer.key.customer"]._recompute_key_customers(dealers=cls.dealers)
        cls.grade_a = cls.grades.filtered(lambda g: g.dealer_id == cls.dealer_a)
        cls.grade_b = cls.grades.filtered(lambda g: g.dealer_id == cls.dealer_b)

    def test_provincial_manager_sees_its_province_only(self):
        Grade = self.env["dealer.grade"].with_user(self.zhejiang_manager)
        self.assertEqual(
            Grade.search([]).dealer_id & self.dealers,
            self.dealer_a | self.sub_dealer,
        )
        lines = self.env["dealer.grade.line"].with_user(self.zhejiang_manager)
        self.assertNotIn(self.dealer_b, lines.search([]).dealer_id)
        with self.assertRaises(AccessError):
            self.grade_b.with_user(self.zhejiang_manager).read(["score"])
        with self.assertRaises(AccessError):
            self.grade_b.with_user(self.zhejiang_manager).action_override(
                "A", "越权调整"
            )
        # its own dealers' grades it may override
        self.grade_a.with_user(self.zhejiang_manager).action_override("B", "重点扶持")
        self.assertEqual(self.grade_a.grade, "B")

    def test_provincial_manager_recomputes_its_dealers(self):
        self.env["dealer.grade"].search([]).unlink()
        self.env["dealer.grade"].with_user(self.zhejiang_manager).action_recompute()
        graded = self.env["dealer.grade"].search([]).dealer_id
        self.assertIn(self.dealer_a, graded)
        self.assertNotIn(self.dealer_b, graded)

    def test_channel_user_reads_but_does_not_override(self):
        with self.assertRaises(AccessError):
            self.grade_a.with_user(self.channel_user).action_override("A", "想改")
        with self.assertRaises(AccessError):
            self.env["dealer.grade"].with_user(self.channel_user).action_recompute()
        self.assertEqual(self.grade_a.with_user(self.channel_user).grade, "C")

    def test_dealer_reads_its_own_grade_only(self):
        Grade = self.env["dealer.grade"].with_user(self.user_a)
        self.assertEqual(Grade.search([]), self.grade_a)
        self.assertEqual(
            self.env["dealer.grade.line"].with_user(self.user_a).search([]),
            self.grade_a.line_ids,
        )
        for record in (self.grade_b, self.grade_b.line_ids[:1]):
            with self.assertRaises(AccessError):
                record.with_user(self.user_a).read(["display_name"])
        with self.assertRaises(AccessError):
            self.grade_a.with_user(self.user_a).action_override("A", "自己改")
        with self.assertRaises(AccessError):
            Grade.action_recompute()
        with self.assertRaises(AccessError):
            self.grade_a.with_user(self.user_a).read(["override_reason"])

    def test_dealer_page_blocks_show_its_own_only(self):
        dealer = self.dealer_a.with_user(self.user_a)
        values = dealer._dealer_grading_portal_values()
        self.assertEqual(values["dealer_grade"], self.grade_a)
        self.assertEqual(values["dealer_key_customers"].dealer_id, self.dealer_a)
        QWeb = self.env["ir.qweb"].with_user(self.user_a)
        html = "".join(
            str(QWeb._render(f"channel_analytics.{name}", values))
            for name in (
                "portal_dealer_grade",
                "portal_dealer_key_customers",
                "portal_dealer_benchmarks",
            )
        )
        self.assertIn("嘉兴测试超市", html)  # its own customer
        self.assertIn("1,575", html)  # its own volume
        for foreign in ("上海测试商贸", "上海测试便利店", "C-B-001", "780"):
            self.assertNotIn(foreign, html)

    def test_dealer_without_grade_sees_a_hint(self):
        self.grades.unlink()
        dealer = self.dealer_a.with_user(self.user_a)
        values = dealer._dealer_grading_portal_values()
        html = str(
            self.env["ir.qweb"]
            .with_user(self.user_a)
            ._render("channel_analytics.portal_dealer_grade", values)
        )
        self.assertIn("not been graded yet", html)

    def test_backend_views_open(self):
        Grade = self.env["dealer.grade"].with_user(self.zhejiang_manager)
        views = Grade.get_views(
            [(False, kind) for kind in ("list", "form", "pivot", "graph", "search")]
        )
        self.assertIn("line_ids", views["views"]["form"]["arch"])
        Key = self.env["dealer.key.customer"].with_user(self.channel_user)
        Key.get_views([(False, kind) for kind in ("list", "pivot", "graph", "search")])
        partner_form = (
            self.env["res.partner"]
            .with_user(self.channel_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_view_dealer_grades", partner_form)
        announcement_form = (
            self.env["dealer.announcement"]
            .with_user(self.zhejiang_manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("for_grade_a", announcement_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn("dealer_grade_threshold_a", settings["views"]["form"]["arch"])
