import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestPortal(DealerCommon, HttpCase):
    """The dealer portal pages, request by request, never following redirects."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _csrf_token(self, url="/my/dealer/customers/new"):
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, url, data):
        return self.url_open(url, data=data, allow_redirects=False)

    def assertRedirects(self, response, path):
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(path),
            f"{response.headers['Location']} does not end with {path}",
        )

    def test_anonymous_visitors_are_sent_to_login(self):
        for url in [
            "/my/dealer",
            "/my/dealer/customers",
            "/my/dealer/customers/new",
            f"/my/dealer/customers/{self.customer_a.id}",
        ]:
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])

    def test_dealer_home_and_customer_pages(self):
        self.authenticate("dealer_a", "dealer_a")
        home = self._get("/my/dealer")
        self.assertEqual(home.status_code, 200)
        self.assertIn("浙江测试商贸", home.text)
        self.assertIn("中国 / 华东 / 浙江省", home.text)
        self.assertIn("测试饮料", home.text)

        listing = self._get("/my/dealer/customers")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("嘉兴测试超市", listing.text)
        self.assertNotIn("上海测试便利店", listing.text)

        own = self._get(f"/my/dealer/customers/{self.customer_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("嘉兴测试超市", own.text)

        my_home = self._get("/my")
        self.assertEqual(my_home.status_code, 200)
        self.assertIn('href="/my/dealer"', my_home.text)

    def test_another_dealers_customer_is_out_of_reach(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        for url in [
            f"/my/dealer/customers/{self.customer_b.id}",
            "/my/dealer/customers/999999999",
        ]:
            response = self._get(url)
            self.assertRedirects(response, "/my")
            self.assertNotIn("上海测试便利店", response.text)
        response = self._post(
            f"/my/dealer/customers/{self.customer_b.id}",
            {"csrf_token": token, "name": "篡改", "customer_type": "terminal"},
        )
        self.assertRedirects(response, "/my")
        self.assertEqual(self.customer_b.name, "上海测试便利店")

    def test_search_does_not_reach_other_dealers(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/my/dealer/customers?search=上海")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("上海测试便利店", response.text)

    def test_portal_users_who_are_not_dealers_are_sent_home(self):
        shop = self.env["res.partner"].create({"name": "普通客户", "is_company": True})
        contact = self.env["res.partner"].create({"name": "店员", "parent_id": shop.id})
        new_test_user(
            self.env,
            login="shop_user",
            groups="base.group_portal",
            partner_id=contact.id,
            password="shop_user",
        )
        self.authenticate("shop_user", "shop_user")
        for url in ["/my/dealer", "/my/dealer/customers", "/my/dealer/customers/new"]:
            self.assertRedirects(self._get(url), "/my")
        self.assertRedirects(
            self._get(f"/my/dealer/customers/{self.customer_a.id}"), "/my"
        )
        self.assertNotIn('href="/my/dealer"', self._get("/my").text)

    def test_create_and_edit_a_customer(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/customers/new",
            {
                "csrf_token": token,
                "name": "湖州测试超市",
                "code": "C-A-002",
                "customer_type": "terminal",
                "state_id": str(self.state_zhejiang.id),
                "city": "湖州市",
            },
        )
        customer = self.env["dealer.customer"].search([("code", "=", "C-A-002")])
        self.assertRedirects(response, f"/my/dealer/customers/{customer.id}?saved=1")
        self.assertEqual(customer.dealer_id, self.dealer_a)
        self.assertEqual(customer.territory_id, self.huzhou)

        response = self._post(
            f"/my/dealer/customers/{customer.id}",
            {
                "csrf_token": token,
                "name": "湖州测试超市(新)",
                "code": "C-A-002",
                "customer_type": "key_account",
                "state_id": str(self.state_zhejiang.id),
                "city": "湖州市",
            },
        )
        self.assertRedirects(response, f"/my/dealer/customers/{customer.id}?saved=1")
        self.assertEqual(customer.name, "湖州测试超市(新)")
        self.assertEqual(customer.customer_type, "key_account")

    def test_bad_input_is_shown_next_to_its_field(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/customers/new",
            {
                "csrf_token": token,
                "name": " ",
                "code": "C-A-001",
                "customer_type": "spaceship",
                "state_id": "abc",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Enter the customer&#39;s name.", response.text)
        self.assertIn(
            "You already have a customer with the code C-A-001.", response.text
        )
        self.assertIn("Choose a customer type from the list.", response.text)
        self.assertIn("Choose a province from the list.", response.text)
        self.assertEqual(self.dealer_a.dealer_customer_count, 1)

    def test_posts_need_a_csrf_token(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._post(
            "/my/dealer/customers/new", {"name": "无令牌", "customer_type": "terminal"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["dealer.customer"].search([("name", "=", "无令牌")]))

    def test_customer_list_costs_the_same_for_more_customers(self):
        self.authenticate("dealer_a", "dealer_a")
        self._get("/my/dealer/customers")  # warm the caches

        def queries_for_listing():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get("/my/dealer/customers").status_code, 200)
            return self.cr.sql_log_count - before

        few = queries_for_listing()
        self.env["dealer.customer"].create(
            [
                {
                    "dealer_id": self.dealer_a.id,
                    "code": f"C-A-{n:03}",
                    "name": f"客户 {n}",
                    "state_id": self.state_zhejiang.id,
                    "city": "嘉兴市" if n % 2 else "湖州市",
                }
                for n in range(100, 160)
            ]
        )
        self.assertEqual(queries_for_listing(), few)

    def test_pages_speak_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["dealer_portal"], ["zh_CN"])
        self.user_a.lang = "zh_CN"
        self.authenticate("dealer_a", "dealer_a")
        home = self.url_open("/zh_CN/my/dealer", allow_redirects=False)
        self.assertEqual(home.status_code, 200)
        self.assertIn("经销商中心", home.text)
        self.assertIn("授权区域", home.text)
        listing = self.url_open("/zh_CN/my/dealer/customers", allow_redirects=False)
        self.assertIn("新建客户", listing.text)
        self.assertIn("区域内", listing.text)

    def test_tour_dealer_adds_a_customer(self):
        self.start_tour("/my", "dealer_portal_customer_tour", login="dealer_a")
        customer = self.env["dealer.customer"].search([("code", "=", "C-A-777")])
        self.assertEqual(customer.dealer_id, self.dealer_a)
        self.assertEqual(customer.territory_id, self.jiaxing)
