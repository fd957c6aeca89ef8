from collections import defaultdict

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user
from odoo.tools import SQL

from .common import MEASURES, AnalyticsCommon


@freeze_time("2026-11-27")
class TestFlowSummary(AnalyticsCommon):
    """The summaries equal a recomputation from the raw lines, whatever
    happened to the lines: posting, returns, waiving, rejecting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealers = cls.dealer_a | cls.dealer_b | cls.sub_dealer

    def _recomputed(self):
        """The daily summary computed in Python from posted sell-out lines and
        the ledger's receipts, keyed (dealer, product, date)."""
        result = defaultdict(lambda: dict.fromkeys(MEASURES, 0.0))
        lines = self.env["dealer.sellout.line"].search(
            [("state", "=", "posted"), ("dealer_id", "in", self.dealers.ids)]
        )
        for line in lines:
            row = result[(line.dealer_id.id, line.product_id.id, line.date)]
            if line.kind == "customer_return":
                row["return_qty"] -= line.quantity
                row["return_amount"] -= line.amount
            else:
                row["sellout_qty"] += line.quantity
                row["sellout_amount"] += line.amount
            row["net_qty"] += line.quantity
            row["net_amount"] += line.amount
            row["line_count"] += 1
        moves = self.env["dealer.stock.move"].search(
            [("dealer_id", "in", self.dealers.ids)]
        )
        for move in moves:
            row = result[(move.dealer_id.id, move.product_id.id, move.date)]
            row["stock_qty"] += move.quantity
            if move.kind in ("receipt", "return_to_supplier"):
                row["sellin_qty"] += move.quantity
                row["sellin_amount"] += move.quantity * move.product_id.list_price
        return {
            key: {name: round(value, 2) for name, value in values.items()}
            for key, values in result.items()
        }

    def _assert_summaries_current(self):
        recomputed = self._recomputed()
        keys = ["dealer_id", "product_id", "date:day"]
        mine = [("dealer_id", "in", self.dealers.ids)]
        self.assertEqual(self._summary("channel.flow.daily", keys, mine), recomputed)
        monthly = defaultdict(lambda: dict.fromkeys(MEASURES, 0.0))
        for (dealer, _product, day), values in recomputed.items():
            for name, value in values.items():
                monthly[(dealer, day.replace(day=1))][name] += value
        self.assertEqual(
            self._summary("channel.flow.monthly", ["dealer_id", "date:month"], mine),
            {
                (dealer, month): {
                    name: round(value, 2) for name, value in values.items()
                }
                for (dealer, month), values in monthly.items()
            },
        )

    def test_posting_and_returns(self):
        self._assert_summaries_current()
        tea = self._summary(
            "channel.flow.daily",
            ["dealer_id"],
            [("product_id", "=", self.product_tea.id)],
        )
        self.assertEqual(
            tea[(self.dealer_a.id,)],
            {
                "sellout_qty": 30.0,
                "sellout_amount": 1180.0,
                "return_qty": 2.0,
                "return_amount": 80.0,
                "net_qty": 28.0,
                "net_amount": 1100.0,
                "sellin_qty": 200.0,
                "sellin_amount": 6000.0,
                "line_count": 3,
                "stock_qty": 172.0,
            },
        )

    def test_waived_and_rejected_lines(self):
        batch = self._report(
            self.dealer_a,
            # outside dealer A's territory: blocking, waived below
            ("2026-11-02", "T-TEA", "3", "40", "C-B-001", "LOT-A1"),
            # more than dealer A holds: blocking, rejected below
            ("2026-11-03", "T-TEA", "5000", "40", "C-A-001", "LOT-A1"),
            ("2026-11-04", "T-EN", "1", "95", "C-A-001", ""),
        )
        self.assertEqual(batch.state, "submitted")
        self._assert_summaries_current()
        issues = batch.issue_ids.filtered(lambda i: i.severity == "blocking")
        by_row = defaultdict(lambda: self.env["dealer.sellout.issue"])
        for issue in issues:
            by_row[issue.line_id.row_number] |= issue
        by_row[1]._decide("waived", "已核实")
        by_row[2]._decide("rejected", "数量有误")
        self.assertEqual(
            batch.line_ids.sorted("row_number").mapped("state"),
            ["posted", "rejected", "posted"],
        )
        self._assert_summaries_current()

    def test_transfers_and_stocktakes_move_stock_only(self):
        sub_customer = self.env["dealer.customer"].create(
            {
                "dealer_id": self.dealer_a.id,
                "code": "C-A-SUB",
                "name": "湖州测试分销",
                "customer_type": "sub_distributor",
                "partner_id": self.sub_dealer.id,
                "state_id": self.state_zhejiang.id,
                "city": "湖州市",
            }
        )
        batch = self._report(
            self.dealer_a, ("2026-11-05", "T-TEA", "20", "36", sub_customer.code, "")
        )
        batch.line_ids._confirm_transfer()
        self.env["dealer.stocktake"].create(
            {
                "dealer_id": self.dealer_b.id,
                "date": "2026-11-10",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_tea.id,
                            "lot_id": self.env["stock.lot"]
                            .search([("name", "=", "LOT-B1")])
                            .id,
                            "counted_quantity": 75,
                        },
                    )
                ],
            }
        ).action_validate()
        self._assert_summaries_current()
        november = self._summary(
            "channel.flow.monthly",
            ["dealer_id"],
            [("date", "=", "2026-11-01")],
        )
        # dealer A sold 20 to its sub-dealer: sell-out for A, stock for the
        # sub-dealer (not sell-in: the manufacturer sold nothing)
        self.assertEqual(november[(self.dealer_a.id,)]["sellout_qty"], 20.0)
        self.assertEqual(
            (
                november[(self.sub_dealer.id,)]["stock_qty"],
                november[(self.sub_dealer.id,)]["sellin_qty"],
            ),
            (20.0, 0.0),
        )
        # dealer B counted 75 of the 80 it held: a stock adjustment only
        self.assertEqual(
            (
                november[(self.dealer_b.id,)]["stock_qty"],
                november[(self.dealer_b.id,)]["net_qty"],
            ),
            (-5.0, 0.0),
        )

    def test_hook_adds_the_lines_it_is_given_only(self):
        """Given lines whose ids leave a gap (another posting wrote in
        between), the summaries add those lines, not the whole id range."""
        moves = self.env["dealer.stock.move"].search(
            [("dealer_id", "=", self.dealer_a.id)], order="id"
        )
        self.assertGreaterEqual(len(moves), 3)
        for given in (moves[0] | moves[2], moves[0] | moves[1]):
            before = self._summary("channel.flow.monthly", ["dealer_id"])
            given._after_moves_added()
            after = self._summary("channel.flow.monthly", ["dealer_id"])
            self.assertAlmostEqual(
                after[(self.dealer_a.id,)]["stock_qty"]
                - before[(self.dealer_a.id,)]["stock_qty"],
                sum(given.mapped("quantity")),
            )

    def test_rebuild_gives_the_same_figures(self):
        before = self._summary(
            "channel.flow.daily",
            ["dealer_id", "product_id", "customer_type", "territory_id", "date:day"],
        )
        self.env["channel.flow.daily"].action_rebuild_all()
        after = self._summary(
            "channel.flow.daily",
            ["dealer_id", "product_id", "customer_type", "territory_id", "date:day"],
        )
        self.assertEqual(before, after)
        self._assert_summaries_current()

    def test_rebuild_asked_from_the_menu_runs_in_the_scheduler(self):
        manager = new_test_user(
            self.env, "flow_manager", groups="dealer_portal.group_channel_manager"
        )
        clerk = new_test_user(
            self.env, "flow_clerk", groups="dealer_portal.group_channel_user"
        )
        Daily = self.env["channel.flow.daily"]
        with self.assertRaises(AccessError):
            Daily.with_user(clerk).action_rebuild_in_background()
        cron = self.env.ref("channel_analytics.channel_flow_rebuild_cron")
        expected = self._summary("channel.flow.daily", ["dealer_id", "date:day"])
        # broken summaries, to be repaired
        self.env.cr.execute(SQL("DELETE FROM channel_flow_daily"))
        Daily.invalidate_model()

        Daily.with_user(manager).action_rebuild_in_background()
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        )
        Daily._cron_rebuild_requested()
        self.assertEqual(
            self._summary("channel.flow.daily", ["dealer_id", "date:day"]), expected
        )
        self.assertFalse(
            self.env["ir.config_parameter"].get_param(
                "channel_analytics.rebuild_requested"
            )
        )
        # nothing asked, nothing done
        self.env.cr.execute(SQL("DELETE FROM channel_flow_daily"))
        Daily.invalidate_model()
        Daily._cron_rebuild_requested()
        self.assertFalse(Daily.search_count([]))
