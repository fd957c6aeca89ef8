from odoo.tests import HttpCase, tagged

from .common import ExpenseCommon


@tagged("post_install", "-at_install")
class TestTour(ExpenseCommon, HttpCase):
    def test_claim_from_photo_to_credit_note(self):
        """A dealer claims with a photo, a manager approves part of it, finance
        writes it off, and the dealer sees the credit note and its fund."""
        self.start_tour("/my/dealer", "dealer_expense_claim_tour", login="dealer_a")
        claim = self.env["dealer.expense.claim"].search(
            [("description", "=", "周末门店促销")]
        )
        self.assertEqual((claim.state, claim.requested_amount), ("submitted", 800))
        self.assertEqual(claim.proof_ids.mimetype, "image/png")

        self.start_tour(
            f"/odoo/action-dealer_expense.dealer_expense_claim_action/{claim.id}",
            "dealer_expense_approve_tour",
            login="exp_manager",
        )
        self.assertEqual((claim.state, claim.approved_amount), ("approved", 600))

        self.start_tour(
            "/odoo/action-dealer_expense.dealer_expense_claim_action_to_write_off/"
            f"{claim.id}",
            "dealer_expense_write_off_tour",
            login="exp_finance",
        )
        self.assertEqual(claim.state, "written_off")
        self.assertEqual(
            (claim.move_id.move_type, claim.move_id.state, claim.move_id.amount_total),
            ("out_refund", "posted", 600),
        )

        self.start_tour(
            "/my/dealer/claims", "dealer_expense_result_tour", login="dealer_a"
        )
        self.assertEqual(self.fund_a.available_amount, 9400)
