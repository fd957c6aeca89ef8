from odoo.tests import HttpCase, tagged

from .common_ordering import OrderingCommon


@tagged("post_install", "-at_install")
class TestOrderingTour(OrderingCommon, HttpCase):
    def test_tour_dealer_orders_and_confirms_a_receipt(self):
        picking = self._deliver(self._order(self.dealer_a, [(self.product_tea, 20)]))
        self.start_tour("/my", "dealer_portal_ordering_tour", login="dealer_a")
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-TOUR-1")])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_uom_qty, 15)
        self.assertEqual(order.amount_total, 375.0)
        receipt = picking.dealer_receipt_ids
        self.assertEqual(receipt.state, "confirmed")
        self.assertEqual(receipt.line_ids.quantity_received, 18)
        self.assertEqual(receipt.line_ids.shortfall_reason, "damaged")
        self.assertEqual(receipt.activity_ids.user_id, self.manager)
