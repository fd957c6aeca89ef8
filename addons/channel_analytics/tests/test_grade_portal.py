from odoo.tests import HttpCase, freeze_time, tagged

from .common_grade import GradeCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27")
class TestGradePortal(GradeCommon, HttpCase):
    """The grade, key customers and benchmarks on /my/dealer/analytics."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dealers = cls.dealer_a | cls.dealer_b | cls.sub_dealer
        with freeze_time("2026-11-27"):
            cls.env["dealer.grade"]._recompute_grades(dealers=dealers)
            cls.env["dealer.key.customer"]._recompute_key_customers(dealers=dealers)

    def _page(self, login, url="/my/dealer/analytics"):
        self.authenticate(login, login)
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_dealer_reads_its_grade_customers_and_region(self):
        page = self._page("dealer_a")
        self.assertIn('id="dealer_grade"', page)
        self.assertIn("Score <strong>54.2</strong>", page)
        self.assertIn("Sell-out 1,575 over 12 months", page)
        self.assertIn("嘉兴测试超市", page)
        self.assertIn("You and your region", page)
        # 华东 holds A, B and the sub-dealer: two others, too few to compare
        self.assertIn("Too few dealers in your region", page)
        self.assertNotIn("Region median", page)
        # the body only: the head's random CSRF token may hold "780"
        body = page[page.index("<body") :]
        for foreign in ("上海测试商贸", "上海测试便利店", "C-B-001", "59.7", "780"):
            self.assertNotIn(foreign, body)

    def test_other_dealer_reads_its_own(self):
        page = self._page("dealer_b")
        self.assertIn("Score <strong>59.7</strong>", page)
        self.assertIn("上海测试便利店", page)
        for foreign in ("嘉兴测试超市", "54.2", "1,575"):
            self.assertNotIn(foreign, page)

    def test_page_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["channel_analytics"], ["zh_CN"], overwrite=True
        )
        self.user_a.lang = "zh_CN"
        # the website serves a Chinese speaker's pages under /zh_CN
        page = self._page("dealer_a", "/zh_CN/my/dealer/analytics")
        self.assertIn("您的等级", page)
        self.assertIn("近 12 个月流向 1,575", page)
