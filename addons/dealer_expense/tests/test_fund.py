from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time
from odoo.tools import mute_logger

from .common import ExpenseCommon


class TestFund(ExpenseCommon):
    """Allocations, balances, transfers and accruals of market funds."""

    def assertBalance(self, fund, allocated, committed, consumed, available):
        fund.invalidate_recordset()
        self.assertEqual(
            (
                fund.allocated_amount,
                fund.committed_amount,
                fund.consumed_amount,
                fund.available_amount,
            ),
            (allocated, committed, consumed, available),
        )

    def test_balance_follows_claims_through_their_life(self):
        fund = self.fund_a
        self.assertBalance(fund, 10000, 0, 0, 10000)
        claim = self._claim(3000)
        self.assertBalance(fund, 10000, 0, 0, 10000)  # a draft holds nothing
        claim.action_submit()
        self.assertBalance(fund, 10000, 3000, 0, 7000)
        claim.action_approve(2500, "样品按出厂价")
        self.assertBalance(fund, 10000, 2500, 0, 7500)
        claim.with_user(self.billing).action_write_off()
        self.assertBalance(fund, 10000, 0, 2500, 7500)

        other = self._claim(1000)
        other.action_submit()
        other.action_reject("重复申请")
        self.assertBalance(fund, 10000, 0, 2500, 7500)
        third = self._claim(500)
        third.action_submit()
        third.action_cancel()
        self.assertBalance(fund, 10000, 0, 2500, 7500)

    def test_a_claim_cannot_take_more_than_is_left(self):
        self._claim(8000).action_submit()
        claim = self._claim(2500)
        with self.assertRaisesText(UserError, "does not have enough budget left"):
            claim.action_submit()
        self.assertEqual(claim.state, "draft")
        self.assertBalance(self.fund_a, 10000, 8000, 0, 2000)
        # what is left can be taken, to the cent
        self._claim(2000).action_submit()
        self.assertBalance(self.fund_a, 10000, 10000, 0, 0)

    @mute_logger("odoo.sql_db")
    def test_the_database_refuses_a_negative_balance_too(self):
        self._claim(9000).action_submit()
        self.env.flush_all()
        with (
            self.assertRaisesText(Exception, "available_not_negative"),
            self.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE dealer_fund SET available_amount = -1 WHERE id = %s",
                [self.fund_a.id],
            )

    def test_allocation_cannot_go_below_what_is_committed(self):
        self._claim(9000).action_submit()
        with self.assertRaisesText(UserError, "does not have enough budget left"):
            self.env["dealer.fund.line"].create(
                {"fund_id": self.fund_a.id, "amount": -1500.0}
            )
        line = self.env["dealer.fund.line"].create(
            {"fund_id": self.fund_a.id, "amount": -1000.0, "description": "削减"}
        )
        self.assertBalance(self.fund_a, 9000, 9000, 0, 0)
        self.assertEqual(line.kind, "manual")

    def test_allocations_of_an_open_fund_stay_as_they_are(self):
        line = self.fund_a.line_ids
        with self.assertRaisesText(UserError, "add a correcting line"):
            line.amount = 20000
        with self.assertRaisesText(UserError, "add a correcting line"):
            line.unlink()
        line.description = "第四季度预算"  # the words may change
        draft = self.env["dealer.fund"].create(
            {
                "name": "草稿基金",
                "dealer_id": self.dealer_a.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "line_ids": [Command.create({"amount": 100.0})],
            }
        )
        draft.line_ids.amount = 200
        self.assertEqual(draft.allocated_amount, 200)
        draft.line_ids.unlink()
        self.assertEqual(draft.allocated_amount, 0)

    def test_transfer_moves_budget_as_a_pair_of_lines(self):
        self._claim(9000, fund=self.fund_a).action_submit()
        wizard = self.env["dealer.fund.transfer"].create(
            {
                "source_fund_id": self.fund_zhejiang.id,
                "target_fund_id": self.fund_a.id,
                "amount": 3000.0,
                "date": "2026-10-20",
            }
        )
        wizard.action_transfer()
        out, into = (
            self.fund_zhejiang.line_ids.filtered(lambda line: line.kind == "transfer"),
            self.fund_a.line_ids.filtered(lambda line: line.kind == "transfer"),
        )
        self.assertEqual((out.amount, into.amount), (-3000, 3000))
        self.assertEqual(out.counterpart_line_id, into)
        self.assertEqual(into.counterpart_line_id, out)
        self.assertEqual(into.counterpart_fund_id, self.fund_zhejiang)
        self.assertBalance(self.fund_zhejiang, 17000, 0, 0, 17000)
        self.assertBalance(self.fund_a, 13000, 9000, 0, 4000)

        too_much = self.env["dealer.fund.transfer"].create(
            {
                "source_fund_id": self.fund_a.id,
                "target_fund_id": self.fund_zhejiang.id,
                "amount": 4000.01,
            }
        )
        with self.assertRaisesText(UserError, "does not have enough budget left"):
            too_much.action_transfer()
        self.assertBalance(self.fund_a, 13000, 9000, 0, 4000)

    def test_a_fund_needs_a_dealer_or_a_territory_and_dates_in_order(self):
        Fund = self.env["dealer.fund"]
        with self.assertRaisesText(ValidationError, "needs a dealer or a territory"):
            Fund.create(
                {"name": "无主基金", "date_from": "2026-10-01", "date_to": "2026-12-31"}
            )
        with self.assertRaisesText(ValidationError, "ends before it starts"):
            Fund.create(
                {
                    "name": "倒序基金",
                    "dealer_id": self.dealer_a.id,
                    "date_from": "2026-12-31",
                    "date_to": "2026-10-01",
                }
            )

    def test_territory_fund_is_for_the_dealers_of_its_territory(self):
        eligible = self.fund_zhejiang.eligible_dealer_ids
        self.assertIn(self.dealer_a, eligible)
        self.assertIn(self.sub_dealer, eligible)  # 湖州 lies in 浙江
        self.assertNotIn(self.dealer_b, eligible)
        self.assertEqual(self.fund_a.eligible_dealer_ids, self.dealer_a)
        Fund = self.env["dealer.fund"]
        self.assertEqual(
            Fund.search([("eligible_dealer_ids", "in", self.dealer_b.ids)])
            & (self.fund_a | self.fund_b | self.fund_zhejiang),
            self.fund_b,
        )
        self.assertEqual(
            Fund.search([("eligible_dealer_ids", "in", self.sub_dealer.ids)])
            & (self.fund_a | self.fund_b | self.fund_zhejiang),
            self.fund_zhejiang,
        )
        # a fund for a city is also for a dealer of the whole province
        huzhou_fund = Fund.create(
            {
                "name": "湖州基金",
                "territory_id": self.huzhou.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
            }
        )
        self.assertEqual(
            huzhou_fund.eligible_dealer_ids & (self.dealer_a | self.sub_dealer),
            self.dealer_a | self.sub_dealer,
        )

    def _sellout(self, dealer, rows):
        """Report and post sell-out as the dealer does.

        :param rows: ``(date, quantity, unit price, customer code)``
        """
        batch = self.env["dealer.sellout.batch"]._from_rows(
            dealer,
            "backend",
            [
                {
                    "date": day,
                    "product_code": "T-TEA",
                    "quantity": quantity,
                    "unit_price": price,
                    "customer_code": customer,
                    "lot": "LOT-ACC",
                }
                for day, quantity, price, customer in rows
            ],
        )
        batch.action_submit()
        return batch

    def test_accrual_on_sell_out_once_per_month(self):
        self._deliver(self.dealer_a, self.product_tea, 500, "LOT-ACC", "2026-09-01")
        self._sellout(
            self.dealer_a,
            [
                ("2026-10-05", 100, 40, "C-A-001"),
                ("2026-10-25", 50, 40, "C-A-001"),
                ("2026-11-03", 10, 40, "C-A-001"),
            ],
        )
        fund = self.fund_a
        fund.write({"accrual_basis": "sell_out", "accrual_rate": 5.0})
        with freeze_time("2026-11-15"):
            lines = fund._accrue()
        self.assertEqual(len(lines), 1)  # October is over, November is not
        self.assertEqual(
            (lines.period_from, lines.period_to, lines.base_amount, lines.amount),
            (date(2026, 10, 1), date(2026, 10, 31), 6000.0, 300.0),
        )
        self.assertEqual(lines.kind, "accrual")
        self.assertIn("5%", lines.description)
        with freeze_time("2026-11-20"):
            self.assertFalse(fund._accrue())  # idempotent per period
        with freeze_time("2026-12-01"):
            self.env["dealer.fund"]._cron_accrue()
        november = fund.line_ids.filtered(
            lambda line: line.period_from == date(2026, 11, 1)
        )
        self.assertEqual((november.base_amount, november.amount), (400.0, 20.0))
        self.assertEqual(fund.allocated_amount, 10320.0)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesText(Exception, "accrual_period_uniq"),
            self.cr.savepoint(),
        ):
            self.env["dealer.fund.line"].create(
                {
                    "fund_id": fund.id,
                    "kind": "accrual",
                    "period_from": "2026-10-01",
                    "amount": 1.0,
                }
            )

    def test_accrual_of_a_territory_fund_reads_the_territorys_sell_out(self):
        self._deliver(self.dealer_b, self.product_tea, 100, "LOT-ACC", "2026-09-01")
        self._deliver(self.dealer_a, self.product_tea, 100, "LOT-ACC", "2026-09-01")
        self._sellout(self.dealer_a, [("2026-10-05", 10, 40, "C-A-001")])
        self._sellout(self.dealer_b, [("2026-10-05", 20, 40, "C-B-001")])
        self.fund_zhejiang.write({"accrual_basis": "sell_out", "accrual_rate": 10.0})
        with freeze_time("2026-11-02"):
            line = self.fund_zhejiang._accrue()
        self.assertEqual((line.base_amount, line.amount), (400.0, 40.0))

    def test_accrual_on_invoiced_sell_in_leaves_write_offs_out(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.dealer_a.id,
                "invoice_date": "2026-10-08",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_tea.id,
                            "quantity": 100,
                            "price_unit": 30.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        refund = invoice._reverse_moves(
            [{"invoice_date": "2026-10-09", "date": "2026-10-09"}]
        )
        refund.invoice_line_ids.quantity = 10
        refund.action_post()
        claim = self._approved(500)
        claim.action_write_off(date(2026, 10, 20))
        fund = self.fund_a
        fund.write({"accrual_basis": "sell_in", "accrual_rate": 2.0})
        with freeze_time("2026-11-01"):
            notice = fund.action_accrue()
        self.assertIn("1 accrual line(s) added", notice["params"]["message"])
        line = fund.line_ids.filtered(lambda line: line.kind == "accrual")
        # 3,000 invoiced less a 300 credit note; the claim's credit note is no sale
        self.assertEqual((line.base_amount, line.amount), (2700.0, 54.0))
        with freeze_time("2026-11-01"):
            notice = fund.action_accrue()
        self.assertIn("Nothing to accrue", notice["params"]["message"])

    def test_the_fund_report_adds_up_to_the_balances(self):
        self._approved(3000, approved=2000).with_user(self.billing).action_write_off()
        self._claim(1500).action_submit()
        Report = self.env["dealer.fund.report"]
        [(allocated, committed, consumed, available)] = Report._read_group(
            [("fund_id", "=", self.fund_a.id)],
            [],
            [
                "allocated_amount:sum",
                "committed_amount:sum",
                "consumed_amount:sum",
                "available_amount:sum",
            ],
        )
        self.assertEqual(
            (allocated, committed, consumed, available), (10000, 1500, 2000, 6500)
        )
        self.assertEqual(available, self.fund_a.available_amount)
        by_movement = dict(
            Report._read_group(
                [("fund_id", "=", self.fund_a.id)], ["movement"], ["__count"]
            )
        )
        self.assertEqual(
            by_movement, {"allocation": 1, "commitment": 1, "consumption": 1}
        )

    def test_fund_form_shows_the_balance_of_new_allocations(self):
        with Form(self.env["dealer.fund"]) as form:
            form.name = "表单基金"
            form.dealer_id = self.dealer_b
            form.date_from = date(2026, 10, 1)
            form.date_to = date(2026, 12, 31)
            with form.line_ids.new() as line:
                line.amount = 1234.0
            self.assertEqual(form.available_amount, 1234.0)
        self.assertEqual(form.record.available_amount, 1234.0)
