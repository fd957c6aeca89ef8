from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user

from .common import DealerCommon


def row(date, code, quantity, price="38", customer="C-A-001", **extra):
    return {
        "date": date,
        "product_code": code,
        "quantity": str(quantity),
        "unit_price": str(price),
        "customer_code": customer,
        **extra,
    }


@freeze_time("2026-11-27")
class TestSelloutRules(DealerCommon):
    """Each rule fires on the lines it should, and on no other."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1", date="2026-09-10")
        cls._deliver(cls.dealer_b, cls.product_tea, 10, "LOT-B1", date="2026-09-10")
        cls.Batch = cls.env["dealer.sellout.batch"]

    def _check(self, rows, dealer=None):
        return self.Batch._from_rows(dealer or self.dealer_a, "backend", rows)

    def _rows_with(self, batch, rule):
        return {
            issue.line_id.row_number for issue in batch.issue_ids if issue.rule == rule
        }

    def test_unknown_product(self):
        self.env["dealer.product.code"].create(
            {
                "dealer_id": self.dealer_a.id,
                "code": "MY-TEA",
                "product_id": self.product_tea.id,
            }
        )
        self.product_tea.barcode = "6900000000017"
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1),
                row("2026-10-01", "NOPE", 1),
                row("2026-10-01", "6900000000017", 1),
                row("2026-10-01", "my-tea", 1),
            ]
        )
        self.assertEqual(self._rows_with(batch, "unknown_product"), {2})

    def test_unauthorized_product(self):
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1, customer="C-B-001"),
                row("2026-10-01", "T-EN", 1, price="95", customer="C-B-001"),
            ],
            self.dealer_b,
        )
        self.assertEqual(self._rows_with(batch, "unauthorized_product"), {2})

    def test_territory(self):
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1),
                row(
                    "2026-10-01",
                    "T-TEA",
                    1,
                    customer="",
                    customer_name="上海新客户",
                    province="上海市",
                    city="上海市",
                ),
                row(
                    "2026-10-01",
                    "T-TEA",
                    1,
                    customer="",
                    customer_name="湖州新客户",
                    province="浙江",
                    city="湖州",
                ),
                row("2026-10-01", "T-TEA", 1, customer="", customer_name="不知何处"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "territory"), {2})
        issue = batch.issue_ids.filtered(lambda i: i.rule == "territory")
        self.assertEqual(issue.evidence["dealer_territories"], ["中国 / 华东 / 浙江省"])
        self.assertEqual(issue.region_id.name, "华东")

    def test_oversell_and_returns(self):
        batch = self._check(
            [
                row("2026-09-05", "T-TEA", 10),  # before the delivery
                row("2026-10-01", "T-TEA", 60),
                row("2026-10-02", "T-TEA", 40),  # 30 left
                row("2026-10-03", "T-TEA", -5),  # C-A-001 bought 110
                row("2026-10-03", "T-TEA", -3, customer="C-NEVER"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "oversell"), {1, 3, 5})

    def test_price_floor(self):
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1, price="35"),
                row("2026-10-01", "T-TEA", 1, price="34.99"),
                row("2026-10-01", "T-TEA", 1, price="¥1,200"),
                row("2026-10-02", "T-TEA", -1, price="10"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "price_floor"), {2})

    def test_duplicate_in_the_file_and_across_batches(self):
        earlier = self._check([row("2026-10-01", "T-TEA", 2, doc_ref="A-1")])
        earlier.action_submit()
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 2, doc_ref="A-1"),  # reported before
                row("2026-10-02", "T-TEA", 3, doc_ref="A-2"),
                row("2026-10-02", "T-TEA", 3, doc_ref="A-2"),  # same as row 2
                row("2026-10-02", "T-TEA", 3, doc_ref="A-3"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "duplicate"), {1, 3})
        first = batch.issue_ids.filtered(lambda i: i.line_id.row_number == 1)
        self.assertEqual(first.evidence["batch"], earlier.name)

    def test_a_batch_is_checked_again_when_another_was_submitted_since(self):
        # LOT-B1 went to dealer B: the line waits in review, with no ledger line
        line = row("2026-10-01", "T-TEA", 2, lot="LOT-B1", doc_ref="A-9")
        first, second = self._check([line]), self._check([line])
        self.assertFalse(self._rows_with(second, "duplicate"))
        first.action_submit()
        self.assertEqual(first.review_count, 1)
        second.action_submit()
        self.assertEqual(self._rows_with(second, "duplicate"), {1})
        self.assertEqual(second.review_count, 1)

    def test_a_delivery_after_the_preview_is_seen_at_submit(self):
        batch = self._check([row("2026-10-01", "T-TEA", 150)])
        self.assertEqual(self._rows_with(batch, "oversell"), {1})
        self._deliver(self.dealer_a, self.product_tea, 100, "LOT-T1", date="2026-09-20")
        batch.action_submit()
        self.assertFalse(self._rows_with(batch, "oversell"))
        self.assertEqual(batch.posted_count, 1)

    def test_date(self):
        self.env.company.dealer_sellout_lock_date = "2026-09-30"
        batch = self._check(
            [
                row("2026-12-01", "T-TEA", 1),
                row("2026-09-15", "T-TEA", 1),
                row("2026-10-01", "T-TEA", 1),
                row("2026-11-27", "T-TEA", 1),
            ]
        )
        self.assertEqual(self._rows_with(batch, "date"), {1, 2})

    def test_lot_trace_travels_down_the_dealer_tree(self):
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1, lot="LOT-T1"),
                row("2026-10-01", "T-TEA", 1, lot="LOT-B1"),
                row("2026-10-01", "T-TEA", 1, lot="NOLOT"),
                row("2026-10-01", "T-TEA", 1),
            ]
        )
        self.assertEqual(self._rows_with(batch, "lot_trace"), {2, 3})
        shipped_elsewhere = batch.issue_ids.filtered(
            lambda i: i.rule == "lot_trace" and i.line_id.row_number == 2
        )
        # the dealer reads that the lot went elsewhere, not to whom
        self.assertNotIn(self.dealer_b.name, shipped_elsewhere.message)
        self.assertIn(self.dealer_b.name, shipped_elsewhere.staff_message)
        self.assertEqual(
            shipped_elsewhere.evidence["shipped_to"][0]["dealer"], self.dealer_b.name
        )

        sub_batch = self._check(
            [
                row(
                    "2026-10-05",
                    "T-TEA",
                    1,
                    customer="",
                    customer_name="湖州店",
                    province="浙江省",
                    city="湖州市",
                    lot="LOT-T1",
                )
            ],
            self.sub_dealer,
        )
        self.assertFalse(self._rows_with(sub_batch, "lot_trace"))

    def test_disclosing_evidence_is_a_company_choice(self):
        self.env.company.dealer_sellout_disclose_evidence = True
        batch = self._check([row("2026-10-01", "T-TEA", 1, lot="LOT-B1")])
        issue = batch.issue_ids.filtered(lambda i: i.rule == "lot_trace")
        self.assertIn(self.dealer_b.name, issue.message)

    def _sales_history(self, day):
        """Twelve posted sales of 4 to 6 T-TEA on ``day``, from stock received a
        week before."""
        received = fields.Date.to_string(fields.Date.to_date(day) - timedelta(days=7))
        self._deliver(self.dealer_a, self.product_tea, 10000, "LOT-T1", date=received)
        history = self._check(
            [row(day, "T-TEA", 4 + n % 3, doc_ref=f"H{n}") for n in range(12)]
        )
        history.action_submit()
        self.assertEqual(history.posted_count, 12)

    def test_anomaly(self):
        self._sales_history("2026-10-01")
        batch = self._check(
            [
                row("2026-10-20", "T-TEA", 500, doc_ref="N1"),
                row("2026-10-20", "T-TEA", 7, doc_ref="N2"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "anomaly"), {1})
        issue = batch.issue_ids.filtered(lambda i: i.rule == "anomaly")
        self.assertIn("standard deviations", issue.message)

    def test_anomaly_looks_back_one_year(self):
        self._sales_history("2025-03-10")
        batch = self._check([row("2026-10-20", "T-TEA", 500, doc_ref="N1")])
        self.assertFalse(self._rows_with(batch, "anomaly"))

    def test_unknown_customer(self):
        batch = self._check(
            [
                row("2026-10-01", "T-TEA", 1),
                row(
                    "2026-10-01", "T-TEA", 1, customer="", customer_name="嘉兴测试超市"
                ),
                row("2026-10-01", "T-TEA", 1, customer="", customer_name="全新客户"),
            ]
        )
        self.assertEqual(self._rows_with(batch, "unknown_customer"), {3})

    def test_a_rule_switched_off_raises_nothing(self):
        rule = self.env["dealer.sellout.rule"].search(
            [("code", "=", "price_floor"), ("company_id", "=", self.env.company.id)]
        )
        rule.active = False
        batch = self._check([row("2026-10-01", "T-TEA", 1, price="1")])
        self.assertFalse(self._rows_with(batch, "price_floor"))
        rule.write({"active": True, "severity": "blocking"})
        batch = self._check([row("2026-10-01", "T-TEA", 1, price="1", doc_ref="X")])
        self.assertEqual(
            batch.issue_ids.filtered(lambda i: i.rule == "price_floor").severity,
            "blocking",
        )

    def test_checks_cost_the_same_queries_for_more_lines(self):
        self._deliver(
            self.dealer_a, self.product_tea, 1000, "LOT-T1", date="2026-09-11"
        )

        def queries(count):
            batch = self._check(
                [
                    row("2026-10-01", "T-TEA", 1, doc_ref=f"Q{count}-{n}")
                    for n in range(count)
                ]
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            batch._check_lines()
            return self.cr.sql_log_count - before

        self.assertEqual(queries(10), queries(300))


@freeze_time("2026-11-27")
class TestSelloutReview(DealerCommon):
    """Channel staff decide on lines with blocking issues."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="channel_boss", groups="dealer_portal.group_channel_manager"
        )
        cls.dealer_a.user_id = cls.manager
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1")
        cls.batch = cls.env["dealer.sellout.batch"]._from_rows(
            cls.dealer_a,
            "form",
            [
                row(
                    "2026-10-01",
                    "T-TEA",
                    5,
                    customer="",
                    customer_name="上海客户",
                    province="上海市",
                ),
                row("2026-10-04", "T-TEA", 500),
                row("2026-10-03", "T-TEA", 5),
            ],
        )
        cls.batch.action_submit()
        cls.rows = {line.row_number: line for line in cls.batch.line_ids}
        cls.issue = {
            issue.line_id.row_number: issue
            for issue in cls.batch.issue_ids
            if issue.severity == "blocking"
        }

    def test_submission_leaves_blocked_lines_for_review(self):
        self.assertEqual(self.batch.state, "submitted")
        self.assertEqual(
            [self.rows[n].state for n in (1, 2, 3)], ["review", "review", "posted"]
        )
        self.assertEqual(self.batch.activity_ids.user_id, self.manager)

    def test_waived_line_posts_rejected_line_does_not(self):
        Decision = self.env["dealer.sellout.issue.decision"].with_user(self.manager)
        Decision.create(
            {
                "issue_ids": [(6, 0, self.issue[1].ids)],
                "decision": "waived",
                "reason": "客户在上海开了分店，已核实",
            }
        ).action_confirm()
        self.assertEqual(self.rows[1].state, "posted")
        self.assertEqual(self.rows[1].move_ids.quantity, -5)

        with self.assertRaisesText(UserError, "reason"):
            self.issue[2]._decide("rejected", " ")
        self.issue[2]._decide("rejected", "数量明显有误，请更正后重新上报")
        self.assertEqual(self.rows[2].state, "rejected")
        self.assertFalse(self.rows[2].move_ids)
        self.assertEqual(self.batch.state, "done")
        messages = self.batch.message_ids.mapped("body")
        self.assertTrue(any("请更正后重新上报" in str(body) for body in messages))
        with self.assertRaisesText(UserError, "decided already"):
            self.issue[2]._decide("waived", "again")

    def test_dealer_reads_decisions_not_evidence(self):
        self.issue[1]._decide("waived", "已核实")
        issue = self.issue[1].with_user(self.user_a)
        self.assertEqual(
            issue.read(["state", "decision_reason"])[0]["decision_reason"], "已核实"
        )
        for field in ("evidence", "staff_message"):
            with self.assertRaises(AccessError):
                issue.read([field])
        with self.assertRaises(AccessError):
            self.issue[2].with_user(self.user_a)._decide("waived", "I approve myself")
        self.assertEqual(self.issue[2].state, "open")
        with self.assertRaises(AccessError):
            self.issue[2].with_user(self.user_b).read(["message"])

    def test_staff_without_channel_rights_cannot_decide(self):
        clerk = new_test_user(self.env, login="clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.issue[1].with_user(clerk)._decide("waived", "why not")
