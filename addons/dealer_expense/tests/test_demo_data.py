from odoo.tests import TransactionCase


class TestDemoData(TransactionCase):
    """The demo world of 青山饮料: funds, claims in every state, one written off."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "dealer_expense.fund_d002_2026q4", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")

    def test_funds_and_claims_of_the_demo(self):
        ref = self.env.ref
        fund = ref("dealer_expense.fund_d002_2026q4")
        self.assertEqual(fund.state, "open")
        self.assertEqual(
            (
                fund.allocated_amount,
                fund.committed_amount,
                fund.consumed_amount,
                fund.available_amount,
            ),
            (55000, 14500, 7500, 33000),
        )
        shared = ref("dealer_expense.fund_zhejiang_2026_display")
        self.assertIn(ref("dealer_portal.dealer_d002"), shared.eligible_dealer_ids)
        self.assertIn(ref("dealer_portal.dealer_d101"), shared.eligible_dealer_ids)
        claims = {
            name: ref(f"dealer_expense.{name}")
            for name in (
                "claim_d002_national_day",
                "claim_d002_tasting",
                "claim_d002_roadshow",
                "claim_d002_display",
                "claim_d002_double_eleven",
                "claim_d101_display",
                "claim_d001_promotion",
            )
        }
        self.assertEqual(
            {name: claim.state for name, claim in claims.items()},
            {
                "claim_d002_national_day": "written_off",
                "claim_d002_tasting": "approved",
                "claim_d002_roadshow": "submitted",
                "claim_d002_display": "rejected",
                "claim_d002_double_eleven": "draft",
                "claim_d101_display": "submitted",
                "claim_d001_promotion": "submitted",
            },
        )
        move = claims["claim_d002_national_day"].move_id
        self.assertEqual(
            (move.move_type, move.state, move.amount_total),
            ("out_refund", "posted", 7500),
        )
        # D001 sent the photo D002 sent for National Day
        self.assertEqual(
            claims["claim_d001_promotion"].duplicate_proof_claim_ids,
            claims["claim_d002_national_day"],
        )
        self.assertFalse(claims["claim_d101_display"].has_warning)
        # the road show is above the channel user's level: 王立 is asked
        self.assertEqual(
            claims["claim_d002_roadshow"].activity_ids.user_id,
            ref("dealer_portal.user_channel_manager"),
        )

    def test_d002_sees_its_funds_and_claims_only(self):
        user = self.env.ref("dealer_portal.user_d002_portal")
        funds = self.env["dealer.fund"].with_user(user).search([])
        self.assertEqual(
            funds,
            self.env.ref("dealer_expense.fund_d002_2026q4")
            | self.env.ref("dealer_expense.fund_zhejiang_2026_display"),
        )
        claims = self.env["dealer.expense.claim"].with_user(user).search([])
        self.assertEqual(len(claims), 5)
        self.assertNotIn(self.env.ref("dealer_expense.claim_d101_display"), claims)
