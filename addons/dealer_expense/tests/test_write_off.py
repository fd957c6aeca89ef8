from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from .common import ExpenseCommon


class TestWriteOff(ExpenseCommon):
    """Write-off in accounting: the entries, idempotence, reversal."""

    def _write_off(self, claims, day=date(2026, 10, 20)):
        moves, _already = claims.with_user(self.billing).action_write_off(day)
        return moves.sudo()

    def assertBalanced(self, move, amount):
        self.assertEqual(sum(move.line_ids.mapped("debit")), amount)
        self.assertEqual(sum(move.line_ids.mapped("credit")), amount)

    def test_credit_note_to_the_dealer(self):
        claim = self._approved(1200, approved=1000)
        move = self._write_off(claim)
        self.assertEqual(claim.move_id, move)
        self.assertEqual(move.dealer_expense_claim_id, claim)
        self.assertEqual(
            (move.move_type, move.state, move.partner_id, move.date, move.ref),
            ("out_refund", "posted", self.dealer_a, date(2026, 10, 20), claim.name),
        )
        self.assertEqual(
            (move.company_id, move.currency_id), (self.company, self.currency)
        )
        self.assertEqual(move.journal_id.type, "sale")
        self.assertEqual(len(move.line_ids), 2)
        self.assertBalanced(move, 1000)
        expense = move.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(
            (expense.account_id, expense.debit, expense.credit, expense.partner_id),
            (self.expense_account, 1000, 0, self.dealer_a),
        )
        self.assertFalse(expense.tax_ids)
        self.assertEqual(
            expense.analytic_distribution, {str(self.analytic_east.id): 100}
        )
        plan_column = self.analytic_plan._column_name()
        self.assertEqual(expense.analytic_line_ids[plan_column], self.analytic_east)
        self.assertEqual(expense.analytic_line_ids.amount, -1000)
        receivable = move.line_ids - expense
        self.assertEqual(
            (receivable.account_id, receivable.credit, receivable.partner_id),
            (self.dealer_a.property_account_receivable_id, 1000, self.dealer_a),
        )
        self.assertEqual(self.dealer_a.credit, -1000)  # we owe the dealer 1,000
        self.assertEqual(
            (claim.state, claim.written_off_date), ("written_off", date(2026, 10, 20))
        )
        self.assertEqual(
            (self.fund_a.committed_amount, self.fund_a.consumed_amount), (0, 1000)
        )
        self.assertEqual(claim.decision_ids[0].move_id, move)

    def test_vendor_bill_for_a_cash_reimbursement(self):
        claim = self._approved(800, payment_method="cash")
        move = self._write_off(claim)
        self.assertEqual((move.move_type, move.state), ("in_invoice", "posted"))
        self.assertEqual(move.journal_id.type, "purchase")
        self.assertBalanced(move, 800)
        expense = move.line_ids.filtered(lambda line: line.display_type == "product")
        payable = move.line_ids - expense
        self.assertEqual(
            (expense.account_id, expense.debit), (self.expense_account, 800)
        )
        self.assertEqual(
            expense.analytic_distribution, {str(self.analytic_east.id): 100}
        )
        self.assertEqual(
            (payable.account_id, payable.credit, payable.partner_id),
            (self.dealer_a.property_account_payable_id, 800, self.dealer_a),
        )

    def test_in_the_claims_currency_and_company(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"name": "2026-01-01", "rate": 0.5, "currency_id": eur.id}
        )
        fund = self.env["dealer.fund"].create(
            {
                "name": "欧元基金",
                "dealer_id": self.dealer_a.id,
                "currency_id": eur.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "analytic_distribution": {str(self.analytic_zhejiang.id): 100},
                "line_ids": [Command.create({"amount": 1000.0})],
            }
        )
        fund.action_open()
        claim = self._approved(300, fund=fund)
        self.assertEqual(claim.currency_id, eur)
        move = self._write_off(claim)
        self.assertEqual(move.currency_id, eur)
        expense = move.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual((expense.amount_currency, expense.debit), (300, 600))
        self.assertBalanced(move, 600)
        self.assertEqual(move.amount_total, 300)
        self.assertEqual(
            expense.analytic_distribution, {str(self.analytic_zhejiang.id): 100}
        )

    def test_writing_off_twice_makes_one_move_and_says_so(self):
        claim = self._approved(500)
        first = self._write_off(claim)
        moves, already = claim.with_user(self.billing).action_write_off()
        self.assertFalse(moves)
        self.assertEqual(already, claim)
        wizard = (
            self.env["dealer.expense.write.off"]
            .with_user(self.billing)
            .with_context(active_model="dealer.expense.claim", active_ids=claim.ids)
            .create({})
        )
        notice = wizard.action_write_off()
        self.assertIn("written off already", notice["params"]["message"])
        self.assertIn(first.name, notice["params"]["message"])
        self.assertEqual(notice["params"]["type"], "warning")
        self.assertEqual(
            self.env["account.move"].search_count(
                [("dealer_expense_claim_id", "=", claim.id)]
            ),
            1,
        )
        self.assertEqual(claim.move_id, first)
        self.assertEqual(self.fund_a.consumed_amount, 500)

    def test_many_claims_at_once(self):
        claims = (
            self._approved(100)
            | self._approved(200, payment_method="cash")
            | self._approved(300)
        )
        wizard = (
            self.env["dealer.expense.write.off"]
            .with_user(self.billing)
            .with_context(active_model="dealer.expense.claim", active_ids=claims.ids)
            .create({"date": "2026-10-31"})
        )
        notice = wizard.action_write_off()
        self.assertIn("3 claim(s) written off", notice["params"]["message"])
        moves = claims.move_id
        self.assertEqual(len(moves), 3)
        self.assertEqual(
            sorted(moves.mapped("move_type")),
            ["in_invoice", "out_refund", "out_refund"],
        )
        self.assertEqual(notice["params"]["next"]["domain"], [("id", "in", moves.ids)])
        self.assertEqual(set(claims.mapped("state")), {"written_off"})

    def test_a_claim_not_approved_stops_the_batch(self):
        approved = self._approved(100)
        pending = self._claim(100)
        pending.action_submit()
        with self.assertRaisesText(UserError, "Only approved claims are written off"):
            (approved | pending).with_user(self.billing).action_write_off()
        self.assertFalse(approved.move_id)

    def test_reversal_returns_the_claim_to_approved(self):
        claim = self._approved(700)
        move = self._write_off(claim)
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.billing)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"date": "2026-10-25", "journal_id": move.journal_id.id})
        )
        reversal.refund_moves()
        reverse = reversal.new_move_ids
        self.assertEqual(claim.state, "written_off")  # the reversal is a draft
        reverse.with_user(self.billing).action_post()
        self.assertEqual(
            (claim.state, claim.move_id), ("approved", self.env["account.move"])
        )
        self.assertEqual(
            (self.fund_a.committed_amount, self.fund_a.consumed_amount), (700, 0)
        )
        undone = claim.decision_ids[0]
        self.assertEqual(undone.kind, "write_off_undone")
        self.assertIn(move.name, undone.reason)
        self.assertIn("reversed", undone.reason)
        # written off again: a new document, the history keeps both
        again = self._write_off(claim)
        self.assertNotEqual(again, move)
        self.assertEqual(claim.move_ids, move | again)
        self.assertEqual(self.fund_a.consumed_amount, 700)

    def test_reversal_and_new_document_in_one_go(self):
        claim = self._approved(400)
        move = self._write_off(claim)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"journal_id": move.journal_id.id})
        )
        reversal.modify_moves()
        self.assertEqual(move.reversal_move_ids.state, "posted")
        self.assertEqual(claim.state, "approved")

    def test_cancelling_the_move_returns_the_claim_to_approved(self):
        claim = self._approved(600)
        move = self._write_off(claim).with_user(self.billing)
        move.button_draft()
        self.assertEqual(claim.state, "written_off")  # a draft is being corrected
        move.button_cancel()
        self.assertEqual(claim.state, "approved")
        self.assertEqual(self.fund_a.committed_amount, 600)
        self.assertEqual(claim.decision_ids[0].kind, "write_off_undone")

    def test_deleting_the_move_returns_the_claim_to_approved(self):
        claim = self._approved(300)
        move = self._write_off(claim).with_user(self.account_manager)
        move.button_draft()
        move.unlink()
        self.assertEqual((claim.state, claim.move_id.id), ("approved", False))
        self.assertIn("deleted", claim.decision_ids[0].reason)

    def test_only_accounting_users_write_off(self):
        claim = self._approved(100)
        for user in (self.channel_user, self.channel_manager):
            with self.assertRaises(AccessError):
                claim.with_user(user).action_write_off()
        self.assertEqual(claim.state, "approved")

    def test_an_expense_type_without_account_says_what_to_do(self):
        bare = self.env["dealer.expense.type"].create(
            {"name": "无科目", "code": "T-BARE", "requires_photo": False}
        )
        self.fund_a.expense_type_ids = [Command.link(bare.id)]
        claim = self._approved(100, expense_type=bare)
        with self.assertRaisesText(UserError, "has no expense account"):
            self._write_off(claim)
        self.assertEqual(claim.state, "approved")

    def test_default_accounts_are_found_in_the_chart(self):
        account = self.env["dealer.expense.type"]._default_expense_account(self.company)
        self.assertIn(account.account_type, ("expense", "expense_direct_cost"))
