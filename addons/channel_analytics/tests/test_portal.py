import json

from odoo.tests import HttpCase, freeze_time, tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27")
class TestPortal(AnalyticsCommon, HttpCase):
    """/my/dealer/analytics: the dealer's own figures, nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls._approved(
            800.0, approved=500.0, date_from="2026-10-01", date_to="2026-10-31"
        )

    def _get(self, url="/my/dealer/analytics"):
        return self.url_open(url, allow_redirects=False)

    def test_dealer_sees_its_own_figures(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get()
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_dealer_analytics_chart", page)
        self.assertIn("1,575", page)  # 380 + 1195 net sell-out over 12 months
        self.assertIn("测试绿茶", page)
        self.assertIn(self.claim.name, page)
        self.assertIn('id="dealer_analytics_sections"', page)
        # nothing of dealer B: its net sell-out, its customer, its name (in the
        # body: the head's random CSRF token may hold "780")
        body = page[page.index("<body") :]
        for marker in ("780", "上海测试便利店", "上海测试商贸"):
            self.assertNotIn(marker, body)

    def test_other_dealer_sees_its_own_only(self):
        self.authenticate("dealer_b", "dealer_b")
        response = self._get()
        self.assertEqual(response.status_code, 200)
        self.assertIn("780", response.text)
        self.assertNotIn("1,575", response.text)
        self.assertNotIn(self.claim.name, response.text)

    def test_visitor_is_sent_to_log_in(self):
        response = self._get()
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_staff_without_dealer_is_sent_home(self):
        self.authenticate("exp_manager", "exp_manager")
        response = self._get()
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_page_costs_the_same_queries_for_more_trade(self):
        self.authenticate("dealer_a", "dealer_a")
        self._get()  # warm the caches

        def queries():
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get().status_code, 200)
            return self.cr.sql_log_count - before

        few = queries()
        self._report(
            self.dealer_a,
            *[
                ("2026-11-0%d" % (day % 9 + 1), "T-TEA", "1", "40", "C-A-001", "LOT-A1")
                for day in range(30)
            ],
        )
        self._get()  # posting clears some caches; warm them again
        self.assertEqual(queries(), few)

    def test_page_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["dealer_portal", "dealer_expense", "channel_analytics"], ["zh_CN"]
        )
        self.user_a.lang = "zh_CN"
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/zh_CN/my/dealer/analytics")
        self.assertEqual(response.status_code, 200)
        for text in (
            "我的分析",
            "每月净流向",
            "库存覆盖",
            "市场费用及其回报",
            "费效比",
        ):
            self.assertIn(text, response.text)

    def test_dealer_cannot_read_the_dashboard_data(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "channel.dashboard",
                        "method": "get_dashboard_data",
                        "args": [],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        error = response.json()["error"]["data"]["name"]
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertNotIn("上海测试商贸", response.text)

    def test_tour(self):
        self.start_tour("/my/dealer", "channel_analytics_portal_tour", login="dealer_a")

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-channel_analytics.channel_dashboard_action",
            "channel_analytics_dashboard_tour",
            login="exp_manager",
        )
