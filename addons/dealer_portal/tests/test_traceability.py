from odoo.tests import freeze_time

from .common import DealerCommon


@freeze_time("2026-11-27")
class TestTraceability(DealerCommon):
    """Where a lot went, and each dealer's sell-in against sell-out and stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1", date="2026-10-02")
        cls.lot = cls.env["stock.lot"].search([("name", "=", "LOT-T1")])
        cls.env["dealer.customer"].create(
            {
                "dealer_id": cls.dealer_a.id,
                "code": "C-A-SUB",
                "name": "湖州测试分销",
                "partner_id": cls.sub_dealer.id,
            }
        )
        Batch = cls.env["dealer.sellout.batch"]
        sales = Batch._from_rows(
            cls.dealer_a,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "20",
                    "unit_price": "38",
                    "customer_code": "C-A-001",
                    "lot": "LOT-T1",
                },
                {
                    "date": "2026-10-06",
                    "product_code": "T-TEA",
                    "quantity": "30",
                    "unit_price": "36",
                    "customer_code": "C-A-SUB",
                    "lot": "LOT-T1",
                },
            ],
        )
        sales.action_submit()
        sales.line_ids.filtered(
            lambda line: line.kind == "transfer_out"
        )._confirm_transfer()
        sub_sales = Batch._from_rows(
            cls.sub_dealer,
            "form",
            [
                {
                    "date": "2026-10-09",
                    "product_code": "T-TEA",
                    "quantity": "10",
                    "unit_price": "40",
                    "customer_name": "湖州小店",
                    "province": "浙江省",
                    "city": "湖州市",
                    "lot": "LOT-T1",
                },
            ],
        )
        sub_sales.action_submit()

    def test_a_lot_from_the_manufacturer_to_the_last_customer(self):
        trace = self.env["dealer.trace"].create({"lot_id": self.lot.id})
        trace.action_trace()
        self.assertEqual(
            [
                (line.step, line.level, line.source, line.target, line.quantity)
                for line in trace.line_ids
            ],
            [
                ("delivery", 0, self.env.company.name, "浙江测试商贸", 100),
                ("sale", 1, "浙江测试商贸", "嘉兴测试超市", 20),
                ("transfer", 1, "浙江测试商贸", "湖州测试分销", 30),
                ("sale", 2, "湖州测试分销", "湖州小店", 10),
            ],
        )
        html = self.env["ir.actions.report"]._render_qweb_html(
            "dealer_portal.report_dealer_trace", trace.ids
        )[0]
        self.assertIn("湖州小店", html.decode())

    def test_a_product_over_a_period(self):
        trace = self.env["dealer.trace"].create(
            {
                "product_id": self.product_tea.id,
                "date_from": "2026-10-06",
                "date_to": "2026-10-31",
            }
        )
        trace.action_trace()
        self.assertEqual(trace.line_ids.mapped("date")[0].isoformat(), "2026-10-06")
        self.assertEqual(len(trace.line_ids), 2)

    def test_reconciliation(self):
        self.env.company.dealer_receipt_source = "confirmation"
        self._deliver(self.dealer_a, self.product_tea, 15, "LOT-T2", date="2026-10-20")
        wizard = self.env["dealer.reconciliation"].create(
            {
                "dealer_ids": [(6, 0, (self.dealer_a | self.sub_dealer).ids)],
                "date_from": "2026-10-01",
                "date_to": "2026-10-31",
            }
        )
        action = wizard.action_compute()
        lines = self.env[action["res_model"]].search(action["domain"])
        by_dealer = {line.dealer_id: line for line in lines}
        a, sub = by_dealer[self.dealer_a], by_dealer[self.sub_dealer]
        self.assertEqual(
            (
                a.opening,
                a.shipped,
                a.received,
                a.not_received,
                a.sold,
                a.transferred_out,
                a.closing,
            ),
            (0, 115, 100, 15, 20, 30, 50),
        )
        self.assertEqual((sub.transferred_in, sub.sold, sub.closing), (30, 10, 20))
        self.assertAlmostEqual(a.sell_through, 50.0)
