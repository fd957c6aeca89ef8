from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import file_open

SAME_SIX_LINES = {
    # (date, product, quantity, unit price, amount, customer, lot, document)
    ("2026-10-03", "QS-GT500", 20, 38.0, 760.0, "C-HZ-001", "LOT2609A", "JH-2610-001"),
    ("2026-10-03", "QS-JC330", 15, 52.0, 780.0, "C-HZ-001", "LOT2609C", "JH-2610-001"),
    ("2026-10-05", "QS-GT500", 30, 37.5, 1125.0, "C-HZ-002", "LOT2609A", "JH-2610-002"),
    ("2026-10-08", "QS-MW550", 50, 21.0, 1050.0, "C-NB-001", "LOT2609M", "JH-2610-003"),
    ("2026-10-12", "QS-EN250", 10, 96.0, 960.0, "C-HZ-003", "LOT2609E", "JH-2610-004"),
    ("2026-10-15", "QS-GT1L", 12, 45.0, 540.0, "C-HZ-002", "LOT2609B", "JH-2610-005"),
}


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27")
class TestSelloutSamples(TransactionCase):
    """Each sample file of a real dealer, uploaded by D002 into the demo world,
    gives what the samples' README says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.d002 = cls.env.ref("dealer_portal.dealer_d002", raise_if_not_found=False)
        if not cls.d002:
            cls.skipTest(cls, "demo data is not installed")
        cls.d002_user = cls.env.ref("dealer_portal.user_d002_portal")
        cls.d101 = cls.env.ref("dealer_portal.dealer_d101")

    def _upload(self, name):
        with file_open(f"dealer_portal/tests/data/{name}", "rb") as file:
            content = file.read()
        Batch = self.env["dealer.sellout.batch"].with_user(self.d002_user)
        # as the portal controllers do: upload as the dealer, then read as staff
        return Batch._upload(self.d002, name, content).sudo()

    def _lines(self, batch):
        return {
            (
                line.date.isoformat(),
                line.product_id.default_code,
                line.quantity,
                line.unit_price,
                line.amount,
                line.customer_id.code,
                line.lot_id.name,
                line.doc_ref,
            )
            for line in batch.line_ids
        }

    def _issues(self, batch):
        """Row number → set of rules raised on that row."""
        issues = {}
        for issue in batch.issue_ids:
            issues.setdefault(issue.line_id.row_number, set()).add(issue.rule)
        return issues

    def _stock(self, dealer, code):
        stock = self.env["dealer.stock.daily"]._stock_on_hand(dealer, by_lot=False)
        product = self.env["product.product"].search([("default_code", "=", code)])
        return stock.get((product.id, False), 0)

    def test_clean_file_posts_six_lines(self):
        self.assertEqual(self._stock(self.d002, "QS-GT500"), 100)
        batch = self._upload("sellout_clean_utf8.csv")
        self.assertEqual(batch.state, "draft")
        self.assertEqual(self._lines(batch), SAME_SIX_LINES)
        self.assertFalse(batch.issue_ids)
        self.assertEqual(batch.unreadable_count, 0)

        batch.sudo().action_submit()
        self.assertEqual(batch.state, "done")
        self.assertEqual(set(batch.line_ids.mapped("state")), {"posted"})
        self.assertEqual(self._stock(self.d002, "QS-GT500"), 50)

    def test_sale_to_a_sub_dealer_is_its_inbound_to_confirm(self):
        batch = self._upload("sellout_clean_utf8.csv")
        batch.sudo().action_submit()
        transfer = batch.line_ids.filtered(lambda line: line.kind == "transfer_out")
        self.assertEqual(transfer.product_id.default_code, "QS-MW550")
        self.assertEqual(transfer.transfer_dealer_id, self.d101)
        self.assertEqual(transfer.transfer_state, "pending")
        self.assertEqual(self._stock(self.d101, "QS-MW550"), 0)

    def test_every_format_gives_the_same_six_lines(self):
        for name in (
            "sellout_gbk_title.csv",
            "sellout_erp_export.tsv",
            "sellout_wps.xlsx",
        ):
            with self.subTest(name=name):
                batch = self._upload(name)
                self.assertEqual(self._lines(batch), SAME_SIX_LINES)
                self.assertFalse(batch.issue_ids)
                self.assertEqual(batch.unreadable_count, 0)

    def test_broken_rows(self):
        batch = self._upload("sellout_broken_rows.csv")
        errors = {
            line.row_number: line.error_message
            for line in batch.line_ids
            if line.error_message
        }
        self.assertEqual(sorted(errors), [4, 5, 6])
        self.assertIn("date: 2026-13-40 is not a date", errors[4])
        self.assertIn("product_code: The product code is missing", errors[5])
        self.assertIn("qty: five is not a quantity", errors[6])
        self.assertEqual(self._issues(batch), {7: {"unknown_product"}})
        rows = {line.row_number: line for line in batch.line_ids}
        self.assertEqual(rows[8].kind, "customer_return")
        self.assertEqual(rows[8].quantity, -3)

        with self.assertRaises(UserError) as caught:
            batch.sudo().action_submit()
        self.assertIn("4, 5, 6, 7", str(caught.exception))
        self.assertFalse(batch.line_ids.move_ids)

        (rows[4] | rows[5] | rows[6] | rows[7]).unlink()
        batch.sudo().action_submit()
        self.assertEqual(batch.state, "done")
        ledger = rows[8].move_ids
        self.assertEqual((ledger.kind, ledger.quantity), ("customer_return", 3))
        self.assertEqual(self._stock(self.d002, "QS-GT500"), 100 - 20 + 3)

    def test_rule_breakers(self):
        batch = self._upload("sellout_rule_breakers.csv")
        self.assertEqual(
            self._issues(batch),
            {
                3: {"territory", "unknown_customer"},
                4: {"price_floor"},
                5: {"duplicate"},
                6: {"lot_trace"},
                7: {"date"},
                8: {"oversell"},
            },
        )
        messages = {issue.rule: issue for issue in batch.issue_ids}
        # staff read to whom and by which delivery the lot went; D002 does not
        self.assertIn("上海恒通商贸有限公司", messages["lot_trace"].staff_message)
        self.assertIn("WH/OUT/", messages["lot_trace"].staff_message)
        self.assertNotIn("上海恒通", messages["lot_trace"].message)
        self.assertEqual(
            messages["lot_trace"].evidence["shipped_to"][0]["dealer"],
            "上海恒通商贸有限公司",
        )
        self.assertEqual(messages["oversell"].evidence["stock"], 40)
        self.assertEqual(messages["oversell"].evidence["sold"], 900)
        self.assertIn("浙江省", messages["territory"].message)
