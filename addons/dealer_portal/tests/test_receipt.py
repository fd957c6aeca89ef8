import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common_ordering import OrderingCommon


class TestReceipt(OrderingCommon):
    """Dealers confirm what arrived; shortfalls reach their channel manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(
            cls.dealer_a, [(cls.product_tea, 20), (cls.product_energy, 5)]
        )
        cls.picking = cls._deliver(cls.order)
        cls.receipt = cls.picking.dealer_receipt_ids

    def _form(self, **quantities):
        """A posted receipt form: quantity_<line id> per product code given."""
        form = {}
        for line in self.receipt.line_ids:
            code = line.product_id.default_code.replace("-", "_")
            if code in quantities:
                form.update(
                    {f"quantity_{line.id}": str(quantities[code][0])}
                    | {
                        f"{key}_{line.id}": value
                        for key, value in quantities[code][1].items()
                    }
                )
        return form

    def test_delivery_to_a_dealer_opens_a_receipt(self):
        self.assertEqual(len(self.receipt), 1)
        self.assertEqual(self.receipt.dealer_id, self.dealer_a)
        self.assertEqual(self.receipt.state, "draft")
        self.assertEqual(self.picking.dealer_receipt_state, "draft")
        lines = {line.product_id: line for line in self.receipt.line_ids}
        self.assertEqual(lines[self.product_tea].lot_id, self.lot_tea)
        self.assertEqual(lines[self.product_tea].quantity_shipped, 20)
        self.assertEqual(lines[self.product_tea].quantity_received, 20)
        self.assertEqual(lines[self.product_energy].quantity_shipped, 5)

    def test_deliveries_to_other_customers_open_none(self):
        shop = self.env["res.partner"].create({"name": "普通客户"})
        order = self._order(shop, [(self.product_energy, 1)])
        self.assertFalse(self._deliver(order).dealer_receipt_ids)

    def test_full_receipt(self):
        receipt = self.receipt.with_user(self.user_a)
        errors = receipt._portal_confirm({"note": "完好"})
        self.assertEqual(errors, {})
        self.assertEqual(self.receipt.state, "confirmed")
        self.assertEqual(self.receipt.confirmed_by_id, self.user_a)
        self.assertTrue(self.receipt.date_confirmed)
        self.assertEqual(self.receipt.note, "完好")
        self.assertFalse(self.receipt.has_shortfall)
        self.assertFalse(self.receipt.activity_ids)
        # What the ledger reads: confirmed lines, with their date.
        lines = self.env["dealer.receipt.line"].search(
            [("dealer_id", "=", self.dealer_a.id), ("state", "=", "confirmed")]
        )
        self.assertEqual(lines, self.receipt.line_ids)
        self.assertEqual(set(lines.mapped("date")), {self.receipt.date_confirmed})
        with self.assertRaisesText(UserError, "already confirmed"):
            receipt._portal_confirm({})

    def test_shortfall_needs_a_reason_and_reaches_the_manager(self):
        receipt = self.receipt.with_user(self.user_a)
        errors = receipt._portal_confirm(self._form(T_TEA=("18", {})))
        self.assertEqual(
            list(errors.values()), ["Say why less arrived than was shipped."]
        )
        self.assertEqual(self.receipt.state, "draft")
        errors = receipt._portal_confirm(self._form(T_TEA=("18", {"reason": "other"})))
        self.assertEqual(list(errors.values()), ["Describe what happened."])

        errors = receipt._portal_confirm(
            self._form(T_TEA=("18", {"reason": "damaged", "reason_note": "破损 2 箱"}))
        )
        self.assertEqual(errors, {})
        self.assertTrue(self.receipt.has_shortfall)
        tea = self.receipt.line_ids.filtered(
            lambda line: line.product_id == self.product_tea
        )
        self.assertEqual(
            (tea.quantity_received, tea.quantity_short, tea.shortfall_reason),
            (18, 2, "damaged"),
        )
        activity = self.receipt.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("破损 2 箱", activity.note)

    def test_quantities_received_are_checked(self):
        receipt = self.receipt.with_user(self.user_a)
        for quantity, message in [
            ("25", "You cannot receive more than the 20 shipped."),
            ("-1", "The quantity received cannot be negative."),
            ("abc", "Enter the quantity received as a number."),
        ]:
            errors = receipt._portal_confirm(self._form(T_TEA=(quantity, {})))
            self.assertEqual(list(errors.values()), [message])
        self.assertEqual(self.receipt.state, "draft")
        with self.assertRaises(ValidationError):
            self.receipt.line_ids[0].quantity_received = 1000

    def test_staff_confirm_on_the_dealers_behalf(self):
        line = self.receipt.line_ids[0]
        line.quantity_received = line.quantity_shipped - 1
        with self.assertRaisesText(ValidationError, "arrived short"):
            self.receipt.with_user(self.manager).action_confirm()
        line.shortfall_reason = "missing"
        self.receipt.with_user(self.manager).action_confirm()
        self.assertEqual(self.receipt.confirmed_by_id, self.manager)
        self.assertTrue(self.receipt.activity_ids)

    def test_dealers_reach_only_their_receipts_and_cannot_write_them(self):
        order_b = self._order(self.dealer_b, [(self.product_tea, 10)])
        receipt_b = self._deliver(order_b).dealer_receipt_ids
        Receipt = self.env["dealer.receipt"].with_user(self.user_a)
        self.assertEqual(Receipt.search([]), self.receipt)
        with self.assertRaises(AccessError):
            receipt_b.with_user(self.user_a).read(["state"])
        with self.assertRaises(AccessError):
            receipt_b.line_ids.with_user(self.user_a).read(["quantity_received"])
        with self.assertRaises(AccessError):
            receipt_b.with_user(self.user_a)._portal_confirm({})
        with self.assertRaises(AccessError):
            self.receipt.line_ids.with_user(self.user_a).write(
                {"quantity_shipped": 1000}
            )
        with self.assertRaises(AccessError):
            self.receipt.with_user(self.user_a).write({"state": "confirmed"})
        self.assertEqual(receipt_b.state, "draft")


@tagged("post_install", "-at_install")
class TestReceiptPages(OrderingCommon, HttpCase):
    """The deliveries pages and the receipt form, request by request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(cls.dealer_a, [(cls.product_tea, 20)])
        cls.picking = cls._deliver(cls.order)
        cls.receipt = cls.picking.dealer_receipt_ids
        cls.order_b = cls._order(cls.dealer_b, [(cls.product_tea, 10)])
        cls.picking_b = cls._deliver(cls.order_b)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data):
        return self.url_open(url, data=data, allow_redirects=False)

    def test_deliveries_list_and_page(self):
        self.authenticate("dealer_a", "dealer_a")
        listing = self._get("/my/dealer/deliveries?filterby=to_confirm")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.picking.name, listing.text)
        self.assertNotIn(self.picking_b.name, listing.text)
        page = self._get(f"/my/dealer/deliveries/{self.picking.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("T-LOT-1", page.text)
        self.assertIn("o_dealer_receipt_form", page.text)

    def test_confirm_a_receipt(self):
        self.authenticate("dealer_a", "dealer_a")
        page = self._get(f"/my/dealer/deliveries/{self.picking.id}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        line = self.receipt.line_ids
        url = f"/my/dealer/deliveries/{self.picking.id}/receipt"
        response = self._post(url, {"csrf_token": token, f"quantity_{line.id}": "15"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Say why less arrived than was shipped.", response.text)
        self.assertEqual(self.receipt.state, "draft")
        response = self._post(
            url,
            {
                "csrf_token": token,
                f"quantity_{line.id}": "15",
                f"reason_{line.id}": "missing",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.receipt.state, "confirmed")
        self.assertEqual(line.quantity_received, 15)
        page = self._get(f"/my/dealer/deliveries/{self.picking.id}")
        self.assertIn("your receipt is confirmed", page.text)

    def test_another_dealers_delivery_is_out_of_reach(self):
        self.authenticate("dealer_a", "dealer_a")
        page = self._get(f"/my/dealer/deliveries/{self.picking.id}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        line_b = self.picking_b.dealer_receipt_ids.line_ids
        response = self._get(f"/my/dealer/deliveries/{self.picking_b.id}")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self._post(
            f"/my/dealer/deliveries/{self.picking_b.id}/receipt",
            {"csrf_token": token, f"quantity_{line_b.id}": "0"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # Another dealer's line ids posted on one's own receipt are ignored.
        response = self._post(
            f"/my/dealer/deliveries/{self.picking.id}/receipt",
            {"csrf_token": token, f"quantity_{line_b.id}": "0"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.picking_b.dealer_receipt_ids.state, "draft")
        self.assertEqual(line_b.quantity_received, 10)
        self.assertEqual(self.receipt.state, "confirmed")
        response = self._get(f"/my/picking/pdf/{self.picking_b.id}")
        self.assertEqual(response.status_code, 404)
