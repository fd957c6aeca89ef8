from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common_ordering import OrderingCommon


@tagged("post_install", "-at_install")
class TestDealerHome(OrderingCommon, HttpCase):
    """The dealer centre sums up orders, deliveries and money."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_home_shows_open_orders_deliveries_and_credit(self):
        self._invoice(self._order(self.dealer_a, [(self.product_tea, 20)]))  # 500
        self._deliver(self._order(self.dealer_a, [(self.product_tea, 10)]))  # 250
        self.company.dealer_order_approval = "always"
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        cart._dealer_place_order()
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/my/dealer")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("o_dealer_account_summary", text)
        self.assertIn("500.00", text)  # balance owed
        self.assertIn("0.00", text)  # credit left: 1000 - 500 - 250 - 250
        self.assertIn("1 waiting for approval", text)
        self.assertIn('href="/my/dealer/deliveries?filterby=to_confirm"', text)
        self.assertIn('href="/my/dealer/catalog"', text)
        self.assertIn('href="/my/dealer/statement"', text)

    def test_home_costs_the_same_for_more_orders_and_invoices(self):
        self._invoice(self._order(self.dealer_a, [(self.product_tea, 10)]))
        self._deliver(self._order(self.dealer_a, [(self.product_tea, 10)]))
        self.authenticate("dealer_a", "dealer_a")
        self._get("/my/dealer")  # warm the caches

        def queries_for_home():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get("/my/dealer").status_code, 200)
            return self.cr.sql_log_count - before

        few = queries_for_home()
        today = fields.Date.today()
        for days in range(5):
            order = self._order(
                self.dealer_a, [(self.product_tea, 10), (self.product_energy, 1)]
            )
            self._deliver(order)
            invoice = self._invoice(order, today - timedelta(days=days))
            self._pay(invoice, 50.0)
        for _n in range(3):
            self._order(self.dealer_a, [(self.product_tea, 10)])
        self._get("/my/dealer")
        self.assertEqual(queries_for_home(), few)
