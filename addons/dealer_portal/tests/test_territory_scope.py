from ast import literal_eval

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .common import DealerCommon
from .common_ordering import OrderingCommon


@freeze_time("2026-11-27")
class TestTerritoryScope(DealerCommon):
    """Channel staff with territories see and act on their dealers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zhejiang_manager = new_test_user(
            cls.env,
            login="zj_manager",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[Command.set(cls.zhejiang.ids)],
        )
        cls.national_head = new_test_user(
            cls.env, login="national_head", groups="dealer_portal.group_channel_manager"
        )
        cls._deliver(cls.dealer_a, cls.product_tea, 50, "LOT-T1")
        cls._deliver(cls.dealer_b, cls.product_tea, 50, "LOT-T2")
        Batch = cls.env["dealer.sellout.batch"]
        cls.batch_a = Batch._from_rows(
            cls.dealer_a,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "500",
                    "unit_price": "38",
                    "customer_code": "C-A-001",
                }
            ],
        )
        cls.batch_b = Batch._from_rows(
            cls.dealer_b,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "500",
                    "unit_price": "38",
                    "customer_code": "C-B-001",
                }
            ],
        )

    def test_provincial_manager_sees_its_province_only(self):
        env = self.env(user=self.zhejiang_manager)
        dealers = env["res.partner"].search([("is_dealer", "=", True)])
        self.assertIn(self.dealer_a, dealers)
        self.assertIn(self.sub_dealer, dealers)
        self.assertNotIn(self.dealer_b, dealers)
        for model, mine, theirs in (
            ("dealer.customer", self.customer_a, self.customer_b),
            ("dealer.sellout.batch", self.batch_a, self.batch_b),
            ("dealer.sellout.line", self.batch_a.line_ids, self.batch_b.line_ids),
            ("dealer.sellout.issue", self.batch_a.issue_ids, self.batch_b.issue_ids),
        ):
            with self.subTest(model=model):
                found = env[model].search([])
                self.assertTrue(mine <= found)
                self.assertFalse(theirs & found)
                with self.assertRaises(AccessError):
                    theirs.with_user(self.zhejiang_manager).read(["id"])
        moves = env["dealer.stock.move"].search([])
        self.assertIn(self.dealer_a, moves.dealer_id)
        self.assertNotIn(self.dealer_b, moves.dealer_id)
        with self.assertRaises(AccessError):
            self.batch_b.with_user(self.zhejiang_manager).action_check()

    def test_backend_actions_show_the_same_scope(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.res_partner_action_dealer"
        )
        dealers = (
            self.env["res.partner"]
            .with_user(self.zhejiang_manager)
            .search(literal_eval(action["domain"]))
        )
        self.assertNotIn(self.dealer_b, dealers)
        self.assertIn(self.dealer_a, dealers)

    def test_manager_without_territories_sees_all(self):
        env = self.env(user=self.national_head)
        dealers = env["res.partner"].search([("is_dealer", "=", True)])
        self.assertTrue((self.dealer_a | self.dealer_b | self.sub_dealer) <= dealers)
        self.assertTrue(
            (self.batch_a | self.batch_b) <= env["dealer.sellout.batch"].search([])
        )

    def test_decisions_go_to_the_nearest_territory_manager(self):
        self.zhejiang.manager_ids = self.zhejiang_manager
        # the sub-dealer's city has no manager: its province's decides
        self.assertEqual(
            self.sub_dealer._dealer_channel_manager(), self.zhejiang_manager
        )
        city_manager = new_test_user(
            self.env,
            login="hz_manager",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[Command.set(self.huzhou.ids)],
        )
        self.huzhou.manager_ids = city_manager
        self.assertEqual(self.sub_dealer._dealer_channel_manager(), city_manager)
        self.assertEqual(self.dealer_a._dealer_channel_manager(), self.zhejiang_manager)
        # no territory manager for 上海: the salesperson, else a company manager
        self.dealer_b.user_id = self.national_head
        self.assertEqual(self.dealer_b._dealer_channel_manager(), self.national_head)

        self.batch_a.action_submit()
        self.assertEqual(self.batch_a.activity_ids.user_id, self.zhejiang_manager)


@freeze_time("2026-11-27")
class TestRoutedDecisions(OrderingCommon):
    """Each kind of decision lands on the manager of the dealer's territory,
    not on its salesperson (OrderingCommon's channel manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zhejiang_manager = new_test_user(
            cls.env,
            login="zj_decider",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[Command.set(cls.zhejiang.ids)],
        )
        cls.zhejiang.manager_ids = cls.zhejiang_manager

    def test_order_over_credit(self):
        cart = self._cart(self.user_a, self.dealer_a)
        cart._dealer_cart_set_quantity(self.product_tea.id, "50")  # 1250 > 1000
        self.assertFalse(cart._dealer_place_order())
        order = cart.with_env(self.env)
        self.assertEqual(order.dealer_approval_state, "to_approve")
        self.assertEqual(order.activity_ids.user_id, self.zhejiang_manager)

    def test_blocking_sellout(self):
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.sub_dealer,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "5",
                    "customer_code": "NOWHERE",
                    "customer_name": "上海某超市",
                    "city": "上海市",
                }
            ],
        )
        batch.action_submit()
        self.assertEqual(batch.activity_ids.user_id, self.zhejiang_manager)

    def test_stocktake_difference(self):
        self._deliver(self._order(self.dealer_a, [(self.product_tea, 20)]))
        stocktake = (
            self.env["dealer.stocktake"]
            .with_user(self.user_a)
            .sudo()
            ._from_portal(
                self.dealer_a,
                "2026-11-27",
                {f"count-{self.product_tea.id}-{self.lot_tea.id}": "18"},
            )
        )
        stocktake.action_validate()
        self.assertEqual(stocktake.activity_ids.user_id, self.zhejiang_manager)


@tagged("post_install", "-at_install")
class TestTerritoryScopeDemo(DealerCommon):
    """The demo channel: a provincial manager of 浙江省."""

    def test_zhejiang_manager_sees_d002_and_d101_not_d001(self):
        d002 = self.env.ref("dealer_portal.dealer_d002", raise_if_not_found=False)
        if not d002:
            self.skipTest("demo data is not installed")
        manager = new_test_user(
            self.env,
            login="zj_demo",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[
                Command.set(self.env.ref("dealer_portal.territory_zhejiang").ids)
            ],
        )
        codes = set(
            self.env["res.partner"]
            .with_user(manager)
            .search([("is_dealer", "=", True)])
            .mapped("dealer_code")
        )
        self.assertTrue({"D002", "D101"} <= codes)
        self.assertNotIn("D001", codes)
        ledger = self.env["dealer.stock.move"].with_user(manager).search([])
        self.assertEqual(set(ledger.dealer_id.mapped("dealer_code")), {"D002"})
