from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import freeze_time

from ..models.dealer_stock_move import DealerStockMove
from .common import DealerCommon


@freeze_time("2026-11-27")
class TestLedger(DealerCommon):
    """The dealer ledger (进销存): receipts, sales, returns, transfers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery = cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1")
        cls.lot = cls.delivery.move_line_ids.lot_id
        cls.customer_sub = cls.env["dealer.customer"].create(
            {
                "dealer_id": cls.dealer_a.id,
                "code": "C-A-SUB",
                "name": "湖州测试分销",
                "customer_type": "sub_distributor",
                "partner_id": cls.sub_dealer.id,
                "state_id": cls.state_zhejiang.id,
                "city": "湖州市",
            }
        )

    def _stock(self, dealer, at=None, product=None):
        stock = self.env["dealer.stock.daily"]._stock_on_hand(dealer, at, by_lot=False)
        return stock.get(((product or self.product_tea).id, False), 0)

    def _report(self, *rows):
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.dealer_a,
            "backend",
            [
                dict(
                    zip(
                        (
                            "date",
                            "product_code",
                            "quantity",
                            "unit_price",
                            "customer_code",
                        ),
                        row,
                        strict=True,
                    ),
                    lot="LOT-T1",
                )
                for row in rows
            ],
        )
        batch.action_submit()
        return batch

    def test_delivery_is_a_receipt(self):
        receipt = self.env["dealer.stock.move"].search(
            [("stock_move_id", "in", self.delivery.move_ids.ids)]
        )
        self.assertEqual(
            (receipt.kind, receipt.quantity, receipt.lot_id, receipt.date),
            ("receipt", 100, self.lot, date(2026, 9, 10)),
        )
        self.assertEqual(self._stock(self.dealer_a, date(2026, 9, 9)), 0)
        self.assertEqual(self._stock(self.dealer_a, date(2026, 9, 10)), 100)
        # validating again writes nothing twice
        self.delivery._dealer_post_receipts()
        self.assertEqual(self._stock(self.dealer_a), 100)

    def test_sales_returns_and_transfers_balance(self):
        self._report(
            ("2026-10-01", "T-TEA", "30", "38", "C-A-001"),
            ("2026-10-02", "T-TEA", "-5", "38", "C-A-001"),
            ("2026-10-03", "T-TEA", "20", "36", "C-A-SUB"),
        )
        moves = self.env["dealer.stock.move"].search(
            [("dealer_id", "=", self.dealer_a.id)], order="date, id"
        )
        self.assertEqual(
            [(move.kind, move.quantity) for move in moves],
            [
                ("receipt", 100),
                ("sellout", -30),
                ("customer_return", 5),
                ("transfer_out", -20),
            ],
        )
        self.assertEqual(self._stock(self.dealer_a), 55)
        self.assertEqual(self._stock(self.dealer_a, date(2026, 10, 1)), 70)

        transfer = moves[-1].sellout_line_id
        self.assertEqual(transfer.transfer_state, "pending")
        self.assertEqual(self._stock(self.sub_dealer), 0)
        transfer._confirm_transfer()
        self.assertEqual(self._stock(self.sub_dealer), 20)
        inbound = transfer.move_ids.filtered(lambda m: m.dealer_id == self.sub_dealer)
        self.assertEqual(
            (inbound.kind, inbound.counterpart_dealer_id, inbound.lot_id),
            ("transfer_in", self.dealer_a, self.lot),
        )
        with self.assertRaises(UserError):
            transfer._confirm_transfer()

    def test_sub_dealer_sells_its_upstream_lot(self):
        self._report(("2026-10-03", "T-TEA", "20", "36", "C-A-SUB"))
        line = self.env["dealer.sellout.line"].search(
            [("customer_code", "=", "C-A-SUB")]
        )
        line._confirm_transfer()
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.sub_dealer,
            "backend",
            [
                {
                    "date": "2026-10-10",
                    "product_code": "T-TEA",
                    "quantity": "5",
                    "unit_price": "40",
                    "customer_name": "湖州小店",
                    "province": "浙江省",
                    "city": "湖州市",
                    "lot": "LOT-T1",
                }
            ],
        )
        self.assertEqual(set(batch.issue_ids.mapped("rule")), {"unknown_customer"})

    def test_return_to_the_manufacturer(self):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 10
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        returned.move_line_ids.write({"lot_id": self.lot.id, "quantity": 10})
        returned.button_validate()
        move = self.env["dealer.stock.move"].search(
            [("stock_move_id", "in", returned.move_ids.ids)]
        )
        self.assertEqual((move.kind, move.quantity), ("return_to_supplier", -10))
        self.assertEqual(self._stock(self.dealer_a), 90)

    def test_ledger_lines_cannot_change(self):
        move = self.env["dealer.stock.move"].search(
            [("dealer_id", "=", self.dealer_a.id)]
        )
        with self.assertRaises(UserError):
            move.quantity = 1000
        with self.assertRaises(UserError):
            move.unlink()

    def test_overselling_is_flagged_against_the_ledger(self):
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.dealer_a,
            "backend",
            [
                {
                    "date": "2026-09-05",
                    "product_code": "T-TEA",
                    "quantity": "10",
                    "unit_price": "38",
                    "customer_code": "C-A-001",
                },
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "90",
                    "unit_price": "38",
                    "customer_code": "C-A-001",
                },
            ],
        )
        oversold = batch.issue_ids.filtered(lambda issue: issue.rule == "oversell")
        # nothing was in stock before the delivery of 10 September; after it,
        # the 90 sold on 5 October are what is left of the 100
        self.assertEqual(oversold.line_id.mapped("row_number"), [1])
        self.assertEqual(oversold.evidence["stock"], 0)

    def test_summaries_hear_of_every_new_ledger_line(self):
        """Posting in bulk and ``create`` both call ``_after_moves_added`` with
        the ledger lines just written (channel_analytics keeps its summaries
        current there)."""
        heard = []
        original = DealerStockMove._after_moves_added

        def listen(moves):
            heard.append(set(moves.ids))
            return original(moves)

        with patch.object(DealerStockMove, "_after_moves_added", listen):
            batch = self._report(
                ("2026-10-01", "T-TEA", "3", "38", "C-A-001"),
                ("2026-10-02", "T-TEA", "-1", "38", "C-A-001"),
            )
            opening = self.env["dealer.stock.move"].create(
                {
                    "dealer_id": self.dealer_b.id,
                    "date": "2026-10-01",
                    "kind": "opening",
                    "product_id": self.product_tea.id,
                    "quantity": 5,
                }
            )
        self.assertEqual(heard, [set(batch.line_ids.move_ids.ids), set(opening.ids)])

    def test_staff_opening_balance(self):
        self.env["dealer.stock.move"].create(
            {
                "dealer_id": self.dealer_b.id,
                "date": "2026-01-01",
                "kind": "opening",
                "product_id": self.product_tea.id,
                "quantity": 12,
                "reference": "Opening",
            }
        )
        self.assertEqual(self._stock(self.dealer_b), 12)

    def test_receipts_on_the_dealers_confirmation(self):
        self.env.company.dealer_receipt_source = "confirmation"
        delivery = self._deliver(self.dealer_b, self.product_tea, 30, "LOT-T9")
        self.assertEqual(self._stock(self.dealer_b), 0)
        receipt = delivery.dealer_receipt_ids
        receipt.line_ids.write({"quantity_received": 28, "shortfall_reason": "damaged"})
        receipt.action_confirm()
        self.assertEqual(self._stock(self.dealer_b), 28)
        with self.assertRaises(UserError):
            receipt.action_reset_to_draft()
