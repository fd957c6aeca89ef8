from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user

from .common import DealerCommon


@freeze_time("2026-11-27")
class TestSelloutAccess(DealerCommon):
    """Sell-out, ledger, stocktakes and product codes, seen through the ORM as
    a dealer's portal user (as JSON-RPC would)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 50, "LOT-T1")
        cls._deliver(cls.dealer_b, cls.product_tea, 40, "LOT-T2")
        rows = [
            {
                "date": "2026-10-05",
                "product_code": "T-TEA",
                "quantity": "2",
                "unit_price": "10",
                "customer_code": "C-B-001",
            }
        ]
        cls.batch_b = cls.env["dealer.sellout.batch"]._from_rows(
            cls.dealer_b, "form", rows
        )
        cls.batch_b.action_submit()
        cls.code_b = cls.env["dealer.product.code"].create(
            {
                "dealer_id": cls.dealer_b.id,
                "code": "B1",
                "product_id": cls.product_tea.id,
            }
        )
        cls.stocktake_b = cls.env["dealer.stocktake"].create(
            {
                "dealer_id": cls.dealer_b.id,
                "line_ids": [
                    (0, 0, {"product_id": cls.product_tea.id, "counted_quantity": 1})
                ],
            }
        )

    def test_dealer_reads_none_of_another_dealers_records(self):
        records = {
            "dealer.sellout.batch": self.batch_b,
            "dealer.sellout.line": self.batch_b.line_ids,
            "dealer.sellout.issue": self.batch_b.issue_ids,
            "dealer.stock.move": self.env["dealer.stock.move"].search(
                [("dealer_id", "=", self.dealer_b.id)]
            ),
            "dealer.stock.daily": self.env["dealer.stock.daily"].search(
                [("dealer_id", "=", self.dealer_b.id)]
            ),
            "dealer.product.code": self.code_b,
            "dealer.stocktake": self.stocktake_b,
            "dealer.stocktake.line": self.stocktake_b.line_ids,
        }
        for model, theirs in records.items():
            with self.subTest(model=model):
                self.assertTrue(theirs.exists() or model == "dealer.sellout.issue")
                Model = self.env[model].with_user(self.user_a)
                self.assertFalse(Model.search([("id", "in", theirs.ids)]))
                if theirs:
                    with self.assertRaises(AccessError):
                        theirs.with_user(self.user_a).read(["id"])

    def test_dealer_writes_nothing_it_should_not(self):
        batch = self.batch_b.with_user(self.user_a)
        with self.assertRaises(AccessError):
            batch.write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self.batch_b.line_ids.with_user(self.user_a).write({"quantity": 99})
        with self.assertRaises(AccessError):
            self.code_b.with_user(self.user_a).unlink()
        with self.assertRaises(AccessError):
            self.env["dealer.sellout.batch"].with_user(self.user_a).create(
                {"dealer_id": self.dealer_b.id, "source": "form"}
            )
        with self.assertRaises(AccessError):
            self.env["dealer.product.code"].with_user(self.user_a).create(
                {
                    "dealer_id": self.dealer_b.id,
                    "code": "X",
                    "product_id": self.product_tea.id,
                }
            )

    def test_dealer_cannot_touch_its_own_posted_data_either(self):
        own = (
            self.env["dealer.sellout.batch"]
            .with_user(self.user_a)
            ._from_rows(
                self.dealer_a,
                "form",
                [
                    {
                        "date": "2026-10-05",
                        "product_code": "T-TEA",
                        "quantity": "1",
                        "unit_price": "38",
                        "customer_code": "C-A-001",
                    }
                ],
            )
        )
        with self.assertRaises(AccessError):
            own.write({"state": "done"})
        with self.assertRaises(AccessError):
            own.action_submit()  # submitting goes through the portal route
        with self.assertRaises(AccessError):
            own.line_ids.write({"quantity": 1000})
        with self.assertRaises(AccessError):
            own.issue_ids.write(
                {"state": "waived"}
            ) if own.issue_ids else own.line_ids.unlink()
        Move = self.env["dealer.stock.move"].with_user(self.user_a)
        with self.assertRaises(AccessError):
            Move.create(
                {
                    "dealer_id": self.dealer_a.id,
                    "date": "2026-10-01",
                    "kind": "receipt",
                    "product_id": self.product_tea.id,
                    "quantity": 1000,
                }
            )
        self.assertEqual(Move.search([]).dealer_id, self.dealer_a)

    def test_staff_see_all_dealers(self):
        staff = new_test_user(
            self.env, login="channel_staff", groups="dealer_portal.group_channel_user"
        )
        Batch = self.env["dealer.sellout.batch"].with_user(staff)
        self.assertIn(self.batch_b, Batch.search([]))
        Move = self.env["dealer.stock.move"].with_user(staff)
        self.assertEqual(
            set(Move.search([]).dealer_id.ids) >= {self.dealer_a.id, self.dealer_b.id},
            True,
        )


@freeze_time("2026-11-27")
class TestStocktake(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 50, "LOT-T1")
        cls.lot = cls.env["stock.lot"].search([("name", "=", "LOT-T1")])

    def _stock(self):
        return self.env["dealer.stock.daily"]._stock_on_hand(self.dealer_a)[
            (self.product_tea.id, self.lot.id)
        ]

    def test_count_that_disagrees_adjusts_and_flags(self):
        stocktake = (
            self.env["dealer.stocktake"]
            .with_user(self.user_a)
            .sudo()
            ._from_portal(
                self.dealer_a,
                "2026-11-27",
                {f"count-{self.product_tea.id}-{self.lot.id}": "47", "csrf_token": "x"},
            )
        )
        stocktake.action_validate()
        line = stocktake.line_ids
        self.assertEqual((line.ledger_quantity, line.difference), (50, -3))
        self.assertTrue(stocktake.needs_reconciliation)
        self.assertEqual(self._stock(), 47)
        self.assertTrue(stocktake.activity_ids)
        adjustment = self.env["dealer.stock.move"].search(
            [("reference", "=", stocktake.name)]
        )
        self.assertEqual((adjustment.kind, adjustment.quantity), ("adjustment", -3))

    def test_count_that_agrees_writes_nothing(self):
        stocktake = self.env["dealer.stocktake"].create(
            {
                "dealer_id": self.dealer_a.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_tea.id,
                            "lot_id": self.lot.id,
                            "counted_quantity": 50,
                        },
                    )
                ],
            }
        )
        stocktake.action_validate()
        self.assertFalse(stocktake.needs_reconciliation)
        self.assertEqual(self._stock(), 50)

    def test_dealer_counts_only_its_products(self):
        foreign = self.env["product.product"].create(
            {"name": "别人的产品", "sale_ok": True}
        )
        with self.assertRaisesText(UserError, "only your own products"):
            self.env["dealer.stocktake"].sudo()._from_portal(
                self.dealer_b, "2026-11-27", {f"count-{foreign.id}-0": "5"}
            )
