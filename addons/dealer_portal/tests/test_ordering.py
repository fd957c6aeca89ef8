import re

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common_ordering import OrderingCommon


class TestOrdering(OrderingCommon):
    """Placing an order: the dealer's terms, its credit, the approval."""

    def _place(self, user, dealer, lines, **kw):
        cart = self._cart(user, dealer)
        for product, quantity in lines:
            cart._dealer_cart_set_quantity(product.id, str(quantity))
        confirmed = cart._dealer_place_order(**kw)
        return cart.with_env(self.env), confirmed

    def test_order_takes_the_dealers_terms(self):
        delivery = self.env["res.partner"].create(
            {"name": "嘉兴仓", "type": "delivery", "parent_id": self.dealer_a.id}
        )
        order, confirmed = self._place(
            self.user_a,
            self.dealer_a,
            [(self.product_tea, 10)],
            client_order_ref="PO-A-1",
            shipping_id=str(delivery.id),
            note="周一上午送货",
        )
        self.assertTrue(confirmed)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.dealer_portal_cart)
        self.assertFalse(order.dealer_approval_state)
        self.assertTrue(order.dealer_placed_date)
        self.assertEqual(order.dealer_user_id, self.user_a)
        self.assertEqual(order.client_order_ref, "PO-A-1")
        self.assertEqual(order.partner_id, self.dealer_a)
        self.assertEqual(order.partner_shipping_id, delivery)
        self.assertEqual(order.pricelist_id, self.pricelist_a)
        self.assertEqual(order.payment_term_id, self.payment_term)
        self.assertEqual(order.user_id, self.manager)
        self.assertEqual(order.amount_total, 250.0)
        self.assertIn(self.user_a.partner_id, order.message_partner_ids)
        self.assertIn("周一上午送货", order.message_ids.mapped("body")[-1])
        # The dealer's user reads its order through the ORM, as the portal does.
        self.assertEqual(order.with_user(self.user_a).name, order.name)
        self.assertEqual(len(order.picking_ids), 1)

    def test_prices_are_recomputed_on_placement(self):
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.pricelist_a.item_ids.filtered(
            lambda item: item.product_id == self.product_tea
        ).fixed_price = 24.0
        cart._dealer_place_order()
        self.assertEqual(cart.order_line.price_unit, 24.0)

    def test_another_dealers_address_is_refused(self):
        other = self.env["res.partner"].create(
            {"name": "上海仓", "type": "delivery", "parent_id": self.dealer_b.id}
        )
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        with self.assertRaisesText(UserError, "Choose one of your delivery"):
            cart._dealer_place_order(shipping_id=str(other.id))
        self.assertTrue(cart.dealer_portal_cart)

    def test_products_are_checked_again_on_placement(self):
        cart = self._cart(self.user_b, self.dealer_b)
        cart._dealer_cart_set_quantity(self.product_tea.id, "10")
        self.dealer_b.dealer_category_ids = [Command.set(self.category_energy.ids)]
        with self.assertRaisesText(UserError, "is no longer in your catalog"):
            cart._dealer_place_order()
        self.assertEqual(cart.state, "draft")
        empty = self._cart(self.user_a, self.dealer_a)
        with self.assertRaisesText(UserError, "Your cart is empty."):
            empty._dealer_place_order()

    def test_credit_counts_open_receivables(self):
        first = self._order(self.dealer_a, [(self.product_tea, 20)])  # 500
        credit = self.dealer_a._dealer_credit()
        self.assertEqual(credit["to_invoice"], 500.0)
        self._invoice(first)
        credit = self.dealer_a._dealer_credit()
        self.assertEqual((credit["receivable"], credit["to_invoice"]), (500.0, 0.0))
        self.assertEqual(credit["available"], 500.0)

        order, confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 25)]
        )  # 625: 500 + 625 > 1000
        self.assertFalse(confirmed)
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.dealer_approval_state, "to_approve")
        self.assertEqual(order.dealer_approval_reason, "credit")
        self.assertEqual(
            (order.dealer_credit_exposure, order.dealer_credit_limit), (1125.0, 1000.0)
        )
        self.assertIn("you would owe", order.dealer_approval_message)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["dealer_portal"], ["zh_CN"])
        self.assertIn(
            "超出信用额度",
            order.with_context(lang="zh_CN").dealer_approval_message,
        )
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("dealer_portal.mail_activity_type_order_approval"),
        )
        self.assertFalse(order.require_signature or order.require_payment)

    def test_credit_counts_unconfirmed_orders(self):
        self.company.dealer_order_approval = "always"
        waiting, confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 30)]
        )  # 750, waits for approval whatever the credit
        self.assertFalse(confirmed)
        self.assertEqual(waiting.dealer_approval_reason, "policy")
        self.assertEqual(self.dealer_a._dealer_credit()["unconfirmed"], 750.0)

        self.company.dealer_order_approval = "over_credit"
        small = self._cart(self.user_a, self.dealer_a)
        small._dealer_cart_set_quantity(self.product_energy.id, "4")  # 280
        self.assertFalse(small._dealer_place_order())  # 750 + 280 > 1000

        waiting.action_dealer_approve()
        self.assertEqual(waiting.state, "sale")
        self.assertEqual(self.dealer_a._dealer_credit()["unconfirmed"], 280.0)

    def test_within_credit_or_without_limit_orders_are_confirmed(self):
        _order, confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 40)]
        )  # exactly 1000
        self.assertTrue(confirmed)
        _order, confirmed = self._place(
            self.user_b, self.dealer_b, [(self.product_tea, 500)]
        )  # no credit limit
        self.assertTrue(confirmed)
        self.company.account_use_credit_limit = False
        _order, confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 100)]
        )
        self.assertTrue(confirmed)

    def test_confirm_at_once_ignores_credit(self):
        self.company.dealer_order_approval = "never"
        order, confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 100)]
        )
        self.assertTrue(confirmed)
        self.assertEqual(order.state, "sale")

    def test_approval_confirms_and_tells_the_dealer(self):
        self.company.dealer_order_approval = "always"
        order, _confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 10)]
        )
        order.with_user(self.manager).action_dealer_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.dealer_approval_state, "approved")
        self.assertFalse(order.activity_ids)
        message = order.message_ids[0]
        self.assertIn("is approved and confirmed", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        with self.assertRaisesText(UserError, "Only orders waiting for approval"):
            order.action_dealer_approve()

    def test_rejection_cancels_with_a_reason(self):
        self.company.dealer_order_approval = "always"
        order, _confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 10)]
        )
        action = order.with_user(self.manager).action_dealer_reject()
        wizard = (
            self.env["dealer.order.reject"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "请先结清逾期货款"})
        )
        wizard.action_reject()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.dealer_approval_state, "rejected")
        self.assertEqual(order.dealer_reject_reason, "请先结清逾期货款")
        self.assertFalse(order.activity_ids)
        self.assertIn("请先结清逾期货款", order.message_ids[0].body)
        self.assertEqual(self.dealer_a._dealer_credit()["unconfirmed"], 0.0)

    def test_standard_confirmation_counts_as_approval(self):
        self.company.dealer_order_approval = "always"
        order, _confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 10)]
        )
        order.action_confirm()
        self.assertEqual(order.dealer_approval_state, "approved")
        self.assertFalse(order.activity_ids)

    def test_reorder_fills_the_cart_with_what_may_still_be_ordered(self):
        past = self._order(
            self.dealer_b, [(self.product_tea, 15), (self.product_energy, 3)]
        )
        cart = self._cart(self.user_b, self.dealer_b)
        left_out = past._dealer_reorder(cart)
        self.assertEqual(left_out, [self.product_energy.display_name])
        self.assertEqual(cart.order_line.product_id, self.product_tea)
        self.assertEqual(cart.order_line.product_uom_qty, 15)
        self.assertEqual(cart.order_line.price_unit, 27.0)
        past._dealer_reorder(cart)
        self.assertEqual(cart.order_line.product_uom_qty, 30)

    def test_timeline_follows_the_order(self):
        order, _confirmed = self._place(
            self.user_a, self.dealer_a, [(self.product_tea, 20)]
        )

        def statuses():
            return {
                step["label"]: step["status"]
                for step in order._dealer_portal_timeline()
            }

        steps = statuses()
        self.assertEqual(steps["Placed"], "done")
        self.assertEqual(steps["Confirmed"], "done")
        self.assertEqual(steps["To pick"], "current")
        self._deliver(order, {self.product_tea: 10})
        steps = statuses()
        self.assertEqual(steps["Partially delivered"], "partial")
        self._deliver(order)
        invoice = self._invoice(order)
        steps = statuses()
        self.assertEqual(steps["Shipped / delivered"], "done")
        self.assertEqual(steps["Invoiced"], "done")
        self.assertEqual(steps["To pay"], "current")
        self._pay(invoice, 200.0)
        self.assertEqual(statuses()["Partially paid"], "partial")
        self._pay(invoice, 300.0)
        self.assertEqual(statuses()["Paid"], "done")
        self.assertEqual(order._dealer_portal_status()[0], "Paid")

    def test_dealers_cannot_reach_other_dealers_orders(self):
        order_b = self._order(self.dealer_b, [(self.product_tea, 10)])
        with self.assertRaises(AccessError):
            order_b.with_user(self.user_a).read(["name"])
        with self.assertRaises(AccessError):
            order_b.picking_ids.with_user(self.user_a).read(["name"])
        invoice_b = self._invoice(order_b)
        with self.assertRaises(AccessError):
            invoice_b.with_user(self.user_a).read(["name"])
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.user_a)
            .search([("id", "=", order_b.id)])
        )
        # Its own delivery, though, is readable by every user of the dealer.
        order_a = self._order(self.dealer_a, [(self.product_tea, 10)])
        self.assertEqual(
            order_a.picking_ids.with_user(self.user_a).name, order_a.picking_ids.name
        )


@tagged("post_install", "-at_install")
class TestOrderingPages(OrderingCommon, HttpCase):
    """Ordering in the portal, request by request, never following redirects."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data):
        return self.url_open(url, data=data, allow_redirects=False)

    def _csrf_token(self, url="/my/dealer/catalog"):
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def assertRedirects(self, response, path):
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(path),
            f"{response.headers['Location']} does not end with {path}",
        )

    def test_place_an_order(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        self._post(
            "/my/dealer/cart/update",
            {"csrf_token": token, "product_id": self.product_tea.id, "quantity": "10"},
        )
        cart_page = self._get("/my/dealer/cart")
        self.assertEqual(cart_page.status_code, 200)
        self.assertIn("测试绿茶", cart_page.text)
        response = self._post(
            "/my/dealer/cart/place",
            {"csrf_token": token, "client_order_ref": "PO-HTTP-1", "note": ""},
        )
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-HTTP-1")])
        self.assertRedirects(response, f"/my/orders/{order.id}?placed=1")
        self.assertEqual(order.state, "sale")
        page = self._get(f"/my/orders/{order.id}?placed=1")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_dealer_timeline", page.text)
        self.assertIn("your order is confirmed", page.text)
        listing = self._get("/my/dealer/orders")
        self.assertIn(order.name, listing.text)

    def test_waiting_order_says_so(self):
        self.company.dealer_order_approval = "always"
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        self._post(
            "/my/dealer/cart/update",
            {"csrf_token": token, "product_id": self.product_tea.id, "quantity": "10"},
        )
        self.assertIn("approves every order", self._get("/my/dealer/cart").text)
        self._post("/my/dealer/cart/place", {"csrf_token": token})
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.dealer_a.id), ("state", "=", "sent")]
        )
        page = self._get(f"/my/orders/{order.id}")
        self.assertIn("Waiting for approval", page.text)
        listing = self._get("/my/dealer/orders?filterby=open")
        self.assertIn(order.name, listing.text)

    def test_empty_cart_cannot_be_placed(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post("/my/dealer/cart/place", {"csrf_token": token})
        self.assertRedirects(response, "/my/dealer/cart")
        self.assertIn("Your cart is empty.", self._get("/my/dealer/cart").text)

    def test_another_dealers_orders_are_out_of_reach(self):
        order_b = self._order(self.dealer_b, [(self.product_tea, 10)])
        invoice_b = self._invoice(order_b)
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        for url in [
            f"/my/orders/{order_b.id}",
            f"/my/invoices/{invoice_b.id}",
            f"/my/dealer/deliveries/{order_b.picking_ids.id}",
            "/my/dealer/deliveries/999999999",
        ]:
            self.assertRedirects(self._get(url), "/my")
        response = self._post(
            f"/my/dealer/orders/{order_b.id}/reorder", {"csrf_token": token}
        )
        self.assertRedirects(response, "/my")
        self.assertFalse(
            self.env["sale.order"].search(
                [
                    ("partner_id", "=", self.dealer_a.id),
                    ("dealer_portal_cart", "=", True),
                ]
            )
        )
        self.assertNotIn(order_b.name, self._get("/my/dealer/orders").text)
        self.assertNotIn(
            order_b.picking_ids.name, self._get("/my/dealer/deliveries").text
        )

    def test_reorder_from_a_past_order(self):
        order = self._order(self.dealer_a, [(self.product_tea, 15)])
        self.authenticate("dealer_a", "dealer_a")
        page = self._get(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/dealer/orders/{order.id}/reorder", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self._post(
            f"/my/dealer/orders/{order.id}/reorder", {"csrf_token": token}
        )
        self.assertRedirects(response, "/my/dealer/cart")
        cart = self.env["sale.order"].search(
            [("partner_id", "=", self.dealer_a.id), ("dealer_portal_cart", "=", True)]
        )
        self.assertEqual(cart.order_line.product_uom_qty, 15)

    def test_anonymous_visitors_are_sent_to_login(self):
        order = self._order(self.dealer_a, [(self.product_tea, 15)])
        for url in [
            "/my/dealer/orders",
            "/my/dealer/deliveries",
            f"/my/dealer/deliveries/{order.picking_ids.id}",
            "/my/dealer/statement",
            "/my/dealer/statement.xlsx",
            "/my/dealer/statement.pdf",
        ]:
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])
        response = self._post(
            f"/my/dealer/orders/{order.id}/reorder", {"csrf_token": "forged"}
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
