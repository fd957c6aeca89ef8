from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrderingDemo(TransactionCase):
    """The demo shows every side of ordering: prices, credit, approval, receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("dealer_portal.sale_order_d001_2611", False):
            cls.skipTest(cls, "demo data is not installed")

    def test_dealers_buy_at_their_level_prices(self):
        d002 = self.env.ref("dealer_portal.dealer_d002")
        d101 = self.env.ref("dealer_portal.dealer_d101")
        self.assertEqual(d002.property_product_pricelist.name, "一级经销商价")
        self.assertEqual(d101.property_product_pricelist.name, "二级分销商价")
        order = self.env.ref("dealer_portal.sale_order_d002_2611")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line[0].price_unit, 28.5)

    def test_d001_waits_for_approval_over_its_credit_limit(self):
        order = self.env.ref("dealer_portal.sale_order_d001_2611")
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.dealer_approval_state, "to_approve")
        self.assertEqual(order.dealer_approval_reason, "credit")
        self.assertIn("5,000.00", order.dealer_approval_message)
        self.assertEqual(
            order.activity_ids.user_id, self.env.ref("dealer_portal.user_channel_user")
        )

    def test_receipts_and_statement(self):
        d001 = self.env.ref("dealer_portal.dealer_d001")
        d002 = self.env.ref("dealer_portal.dealer_d002")
        receipts = self.env["dealer.receipt"].search(
            [("dealer_id", "in", (d001 | d002).ids)]
        )
        states = {receipt.dealer_id: receipt.state for receipt in receipts}
        self.assertEqual(states, {d001: "confirmed", d002: "draft"})
        self.assertTrue(receipts.filtered("has_shortfall").activity_ids)
        Report = self.env["report.dealer_portal.report_dealer_statement"]
        statement = Report._get_statement(d002, *Report._get_period("2026-01-01"))
        types = [line["type"] for line in statement["lines"]]
        self.assertEqual(types[:2], ["Invoice", "Payment"])
        # dealer_expense's demo, when installed, writes off a claim of D002
        self.assertLessEqual(set(types[2:]), {"Credit Note"})
        d002.invalidate_recordset(["credit"])
        self.assertEqual(statement["closing"], d002.credit)
