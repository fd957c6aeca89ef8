import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_ordering import OrderingCommon


class TestCatalog(OrderingCommon):
    """What a dealer may see and put in its cart, whatever it posts."""

    def test_catalog_holds_only_authorised_saleable_products(self):
        Product = self.env["product.product"]
        tea_only = Product.search(self.dealer_b._dealer_product_domain())
        self.assertIn(self.product_tea, tea_only)
        self.assertNotIn(self.product_energy, tea_only)
        everything = Product.search(self.dealer_a._dealer_product_domain())
        self.assertIn(self.product_energy, everything)

        self.product_energy.sale_ok = False
        self.assertNotIn(
            self.product_energy,
            Product.search(self.dealer_a._dealer_product_domain()),
        )
        self.sub_dealer.dealer_category_ids = False
        self.assertFalse(Product.search(self.sub_dealer._dealer_product_domain()))

    def test_products_outside_the_catalog_cannot_be_ordered(self):
        cart = self._cart(self.user_b, self.dealer_b)
        for product_id in (self.product_energy.id, 999999999, "abc"):
            with self.assertRaises(UserError):
                cart._dealer_cart_set_quantity(product_id, "10")
        self.assertFalse(cart.order_line)

    def test_quantities_follow_minimum_and_pack_size(self):
        cart = self._cart(self.user_a, self.dealer_a)
        with self.assertRaisesText(UserError, "The minimum order of"):
            cart._dealer_cart_set_quantity(self.product_tea.id, "5")
        with self.assertRaisesText(UserError, "is sold in packs of 5"):
            cart._dealer_cart_set_quantity(self.product_tea.id, "12")
        with self.assertRaisesText(UserError, "Enter the quantity as a number."):
            cart._dealer_cart_set_quantity(self.product_tea.id, "ten")
        with self.assertRaisesText(UserError, "Enter a quantity above zero."):
            cart._dealer_cart_set_quantity(self.product_tea.id, "-5")
        line = cart._dealer_cart_set_quantity(self.product_tea.id, "15")
        self.assertEqual(line.product_uom_qty, 15)
        cart._dealer_cart_set_quantity(self.product_tea.id, "20")
        self.assertEqual(len(cart.order_line), 1)
        self.assertEqual(cart.order_line.product_uom_qty, 20)
        cart._dealer_cart_set_quantity(self.product_tea.id, "0")
        self.assertFalse(cart.order_line)

    def test_prices_come_from_the_dealers_pricelist(self):
        cart_a = self._cart(self.user_a, self.dealer_a)
        cart_b = self._cart(self.user_b, self.dealer_b)
        cart_a._dealer_cart_set_quantity(self.product_tea.id, "10")
        cart_b._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.assertEqual(cart_a.pricelist_id, self.pricelist_a)
        self.assertEqual(cart_a.order_line.price_unit, 25.0)
        self.assertEqual(cart_b.order_line.price_unit, 27.0)
        self.assertEqual(cart_a.amount_total, 250.0)

    def test_cart_survives_and_belongs_to_its_user(self):
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.assertEqual(self._cart(self.user_a, self.dealer_a), cart)
        self.assertTrue(cart.dealer_portal_cart)
        self.assertEqual(cart.state, "draft")
        colleague = self._dealer_user(self.dealer_a, "dealer_a2")
        self.assertNotEqual(self._cart(colleague, self.dealer_a), cart)

    def test_dealers_cannot_write_orders_through_the_orm(self):
        cart = self._cart(self.user_a, self.dealer_a)
        line = cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        with self.assertRaises(AccessError):
            line.with_user(self.user_a).write({"price_unit": 0.01})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_a).create(
                {"partner_id": self.dealer_a.id}
            )
        self.assertEqual(line.price_unit, 25.0)

    def test_availability_never_shows_quantities(self):
        self.product_tea.dealer_low_stock_qty = 600
        self.product_energy.dealer_low_stock_qty = 100
        availability = (self.product_tea | self.product_energy)._dealer_availability()
        self.assertEqual(availability[self.product_tea.id], "low")
        self.assertEqual(availability[self.product_energy.id], "in_stock")
        self.product_tea.dealer_min_qty = 1000
        self.product_tea.dealer_pack_qty = 0
        self.assertEqual(
            self.product_tea._dealer_availability()[self.product_tea.id],
            "on_request",
        )


@tagged("post_install", "-at_install")
class TestCatalogPages(OrderingCommon, HttpCase):
    """The catalog and cart pages, request by request."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data):
        return self.url_open(url, data=data, allow_redirects=False)

    def _csrf_token(self, url="/my/dealer/catalog"):
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_anonymous_visitors_are_sent_to_login(self):
        for url in ["/my/dealer/catalog", "/my/dealer/cart", "/my/dealer/orders"]:
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])

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
        for url in ["/my/dealer/catalog", "/my/dealer/cart", "/my/dealer/statement"]:
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_catalog_shows_authorised_products_at_dealer_prices(self):
        self.authenticate("dealer_b", "dealer_b")
        response = self._get("/my/dealer/catalog")
        self.assertEqual(response.status_code, 200)
        self.assertIn("测试绿茶", response.text)
        self.assertIn("27.00", response.text)
        self.assertNotIn("测试能量饮料", response.text)
        self.assertNotIn("T-EN", response.text)
        # Asking for a category the dealer may not sell changes nothing.
        response = self._get(f"/my/dealer/catalog?category={self.category_energy.id}")
        self.assertNotIn("测试能量饮料", response.text)
        response = self._get("/my/dealer/catalog?search=能量")
        self.assertNotIn("测试能量饮料", response.text)

    def test_search_and_category_filter(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/my/dealer/catalog?search=T-EN")
        self.assertIn("测试能量饮料", response.text)
        self.assertNotIn("测试绿茶", response.text)
        response = self._get(f"/my/dealer/catalog?category={self.category_tea.id}")
        self.assertIn("测试绿茶", response.text)
        self.assertNotIn("测试能量饮料", response.text)

    def test_forged_posts_cannot_order_other_products(self):
        self.authenticate("dealer_b", "dealer_b")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/cart/update",
            {
                "csrf_token": token,
                "product_id": self.product_energy.id,
                "quantity": "10",
                "return_url": "/my/dealer/catalog",
            },
        )
        self.assertEqual(response.status_code, 303)
        cart = self.env["sale.order"].search(
            [("partner_id", "=", self.dealer_b.id), ("dealer_portal_cart", "=", True)]
        )
        self.assertFalse(cart.order_line)
        page = self._get("/my/dealer/catalog")
        self.assertIn("This product is not in your catalog.", page.text)

    def test_prices_never_come_from_the_request(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/cart/update",
            {
                "csrf_token": token,
                "product_id": self.product_tea.id,
                "quantity": "10",
                "price_unit": "0.01",
                "price": "0.01",
                "discount": "99",
                "return_url": "/my/dealer/catalog?search=T-TEA",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/dealer/catalog?search=T-TEA#product-{self.product_tea.id}"
            )
        )
        cart = self.env["sale.order"].search(
            [("partner_id", "=", self.dealer_a.id), ("dealer_portal_cart", "=", True)]
        )
        self.assertEqual(cart.order_line.price_unit, 25.0)
        self.assertEqual(cart.order_line.discount, 0.0)
        self.assertEqual(cart.amount_total, 250.0)

    def test_bad_quantity_is_explained_next_to_the_product(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        self._post(
            "/my/dealer/cart/update",
            {"csrf_token": token, "product_id": self.product_tea.id, "quantity": "7"},
        )
        page = self._get("/my/dealer/catalog")
        self.assertIn("o_dealer_item_message", page.text)
        self.assertIn("The minimum order of", page.text)

    def test_return_url_stays_in_the_dealer_centre(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        for url in ["https://evil.example.com", "//evil.example.com", "/web"]:
            response = self._post(
                "/my/dealer/cart/update",
                {
                    "csrf_token": token,
                    "product_id": self.product_tea.id,
                    "quantity": "10",
                    "return_url": url,
                },
            )
            self.assertTrue(
                response.headers["Location"].endswith("/my/dealer/cart"), url
            )

    def _tea_products(self, numbers):
        """More teas, priced at their list price (no pricelist rule)."""
        return self.env["product.product"].create(
            [
                {
                    "name": f"测试茶 {n}",
                    "default_code": f"T-TEA-{n}",
                    "categ_id": self.category_tea.id,
                    "is_storable": True,
                    "list_price": 20.0 + n,
                }
                for n in numbers
            ]
        )

    def test_catalog_costs_the_same_for_more_products(self):
        self._tea_products([0])
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.authenticate("dealer_a", "dealer_a")
        self._get("/my/dealer/catalog")  # warm the caches

        def queries_for_catalog():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get("/my/dealer/catalog").status_code, 200)
            return self.cr.sql_log_count - before

        few = queries_for_catalog()
        products = self._tea_products(range(1, 16))
        self.env["stock.quant"]._update_available_quantity(
            products[0], self.warehouse.lot_stock_id, 100
        )
        cart._dealer_cart_set_quantity(products[1].id, "3")
        cart._dealer_cart_set_quantity(self.product_energy.id, "2")
        # New products clear Odoo's caches: warm them again before counting.
        self._get("/my/dealer/catalog")
        self.assertEqual(queries_for_catalog(), few)

    def test_pages_speak_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["dealer_portal"], ["zh_CN"])
        self.user_a.lang = "zh_CN"
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.authenticate("dealer_a", "dealer_a")
        catalog = self._get("/zh_CN/my/dealer/catalog")
        self.assertEqual(catalog.status_code, 200)
        for text in ("全部品类", "加入", "起订", "查看购物车", "价格不含税"):
            self.assertIn(text, catalog.text)
        self.assertIn("提交订单", self._get("/zh_CN/my/dealer/cart").text)
        self.assertIn("立即订货", self._get("/zh_CN/my/dealer").text)
        self.assertIn("期初余额", self._get("/zh_CN/my/dealer/statement").text)
        with self.assertRaisesText(UserError, "起订量"):
            cart.with_context(lang="zh_CN")._dealer_cart_set_quantity(
                self.product_tea.id, "5"
            )
