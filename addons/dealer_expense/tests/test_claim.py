from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from .common import PDF_BYTES, ExpenseCommon, photo


class TestClaim(ExpenseCommon):
    """A claim's life: submission, approval by level, rejection, its flags."""

    def test_submit_approve_in_part_with_a_reason(self):
        claim = self._claim(1200)
        self.assertTrue(claim.name.startswith("EXP/"))
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertTrue(claim.submitted_date)
        claim = claim.with_user(self.channel_user)
        with self.assertRaisesText(UserError, "Say why"):
            claim.action_approve(1000)
        with self.assertRaisesText(UserError, "cannot be approved for more"):
            claim.action_approve(1200.01)
        with self.assertRaisesText(UserError, "more than zero"):
            claim.action_approve(0)
        claim.action_approve(1000, "  只认可发票金额  ")
        self.assertEqual(
            (claim.state, claim.approved_amount, claim.decision_reason),
            ("approved", 1000, "只认可发票金额"),
        )
        self.assertEqual(claim.decision_ids.mapped("kind"), ["approved", "submitted"])
        self.assertEqual(claim.decision_ids[0].user_id, self.channel_user)
        with self.assertRaisesText(UserError, "not waiting for a decision"):
            claim.action_approve()

    def test_full_approval_needs_no_reason(self):
        claim = self._claim(800)
        claim.action_submit()
        claim.with_user(self.channel_user).action_approve()
        self.assertEqual(claim.approved_amount, 800)
        self.assertFalse(claim.decision_reason)

    def test_rejection_needs_a_reason_and_releases_the_budget(self):
        claim = self._claim(4000)
        claim.action_submit()
        with self.assertRaisesText(UserError, "Say why"):
            claim.action_reject("   ")
        claim.with_user(self.channel_user).action_reject("照片不清楚")
        self.assertEqual(
            (claim.state, claim.decision_reason), ("rejected", "照片不清楚")
        )
        self.assertEqual(self.fund_a.available_amount, 10000)
        claim.action_reset_draft()
        self.assertEqual(claim.state, "draft")
        claim.action_submit()
        self.assertEqual(self.fund_a.available_amount, 6000)

    def test_approval_levels_follow_the_amount(self):
        small, middle, large = (
            self._claim(10000, fund=self.fund_zhejiang),
            self._claim(10000.01, fund=self.fund_zhejiang),
            self._claim(50000.01, fund=self.fund_zhejiang),
        )
        self.assertEqual(
            (small.approval_level, middle.approval_level, large.approval_level),
            ("user", "manager", "finance"),
        )
        self.fund_zhejiang.line_ids.create(
            {"fund_id": self.fund_zhejiang.id, "amount": 60000.0}
        )
        middle.action_submit()
        with self.assertRaisesText(AccessError, "only a Channel Manager may decide"):
            middle.with_user(self.channel_user).action_approve()
        with self.assertRaises(AccessError):
            middle.with_user(self.channel_user).action_reject("不行")
        middle.with_user(self.channel_manager).action_approve()
        self.assertEqual(middle.state, "approved")
        large.write({"requested_amount": 50000.01})
        large.action_submit()
        with self.assertRaises(AccessError):
            large.with_user(self.channel_manager).action_approve()
        large.with_user(self.account_manager).action_approve(50000, "取整")
        self.assertEqual(large.approved_amount, 50000)

    def test_limits_are_set_per_company(self):
        self.company.dealer_expense_manager_limit = 500
        claim = self._claim(600)
        self.assertEqual(claim.approval_level, "manager")

    def test_the_approver_gets_an_activity_closed_by_the_decision(self):
        claim = self._claim(1000)
        claim.action_submit()
        activity = claim.activity_ids
        self.assertEqual(activity.user_id, self.channel_user)  # dealer A's
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("dealer_expense.mail_activity_type_claim_approval"),
        )
        claim.with_user(self.channel_user).action_approve()
        self.assertFalse(claim.activity_ids)

        above = self._claim(12000, fund=self.fund_zhejiang)
        above.action_submit()
        # dealer A's channel user may not approve it: the company's approver may
        self.assertEqual(above.activity_ids.user_id, self.channel_manager)
        above.with_user(self.channel_manager).action_reject("超出预算")
        self.assertFalse(above.activity_ids)

    def test_every_step_notifies_the_dealer(self):
        claim = self._claim(1000)
        dealer_partner = self.user_a.partner_id
        self.assertIn(dealer_partner, claim.message_partner_ids)
        self.assertNotIn(self.user_b.partner_id, claim.message_partner_ids)
        claim.action_submit()
        claim.with_user(self.channel_user).action_approve(900, "差额无票据")
        claim.with_user(self.billing).action_write_off()
        messages = claim.message_ids.filtered(lambda message: message.subtype_id)
        subtypes = messages.mapped("subtype_id.name")
        for name in ("Claim Submitted", "Claim Approved", "Claim Written Off"):
            self.assertIn(name, subtypes)
        approval = messages.filtered(lambda m: m.subtype_id.name == "Claim Approved")
        self.assertIn("差额无票据", approval.body)
        self.assertIn(dealer_partner, approval.notification_ids.res_partner_id)
        self.assertFalse(approval.subtype_id.internal)

    def test_content_is_frozen_once_submitted(self):
        claim = self._claim(1000)
        claim.requested_amount = 1100
        claim.action_submit()
        for values in (
            {"requested_amount": 5000},
            {"fund_id": self.fund_zhejiang.id},
            {"description": "改一改"},
        ):
            with self.assertRaisesText(UserError, "no longer a draft"):
                claim.write(values)
        for values in ({"state": "approved"}, {"approved_amount": 1}):
            with self.assertRaisesText(UserError, "by its buttons only"):
                claim.write(values)
        with self.assertRaisesText(UserError, "starts as a draft"):
            self._claim(10, state="approved", approved_amount=10)

    def test_a_claim_must_fit_its_fund(self):
        claim = self._claim(1000, fund=self.fund_b)
        with self.assertRaisesText(UserError, "may not claim on the fund"):
            claim.action_submit()
        claim = self._claim(1000, date_to="2027-01-05")
        with self.assertRaisesText(UserError, "within the fund's period"):
            claim.action_submit()
        claim = self._claim(1000, expense_type=self.type_display)
        with self.assertRaisesText(UserError, "does not pay for"):
            claim.action_submit()
        claim = self._claim(
            1000, fund=self.fund_zhejiang, territory_id=self.shanghai.id
        )
        with self.assertRaisesText(UserError, "not authorised in"):
            claim.action_submit()
        self.fund_a.action_close()
        with self.assertRaisesText(UserError, "is not open"):
            self._claim(1000).action_submit()

    def test_proof_rules_of_the_expense_type(self):
        claim = self._claim(
            1000, fund=self.fund_zhejiang, expense_type=self.type_display
        )
        self.assertEqual(
            claim._submit_problems(),
            [
                "A Display claim needs at least one photo as proof.",
                "A Display claim needs at least one PDF document as proof.",
            ],
        )
        self._attach(claim, photo(), "陈列.jpg")
        self._attach(claim, PDF_BYTES, "协议.pdf")
        self.assertFalse(claim._submit_problems())
        claim.action_submit()
        # the approver's form previews the first proof
        self.assertEqual(claim.message_main_attachment_id.name, "陈列.jpg")

    def test_proof_is_photos_and_pdf_of_limited_size(self):
        claim = self._claim(1000)
        errors = claim._add_proof(
            [
                (
                    "evil.svg",
                    b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
                ),
                ("notes.txt", b"just text"),
                ("photo.png.exe", b"MZ\x90\x00" + b"\x00" * 64),
                ("ok.jpg", photo()),
                ("empty.jpg", b""),
            ]
        )
        self.assertEqual(len(errors), 3)
        self.assertIn("evil.svg is not a photo", errors[0])
        self.assertFalse(claim.proof_ids)  # all or nothing
        self.assertFalse(claim._add_proof([("ok.jpg", photo())]))
        self.assertEqual(claim.proof_ids.mapped("name"), ["ok.jpg"])
        self.assertEqual(claim.proof_ids.mimetype, "image/jpeg")
        big = photo(size=(10, 10)) + b"\x00" * (10 * 1024 * 1024)
        errors = claim._add_proof([("big.jpg", big)])
        self.assertIn("larger than 10 MB", errors[0])

    def test_the_same_proof_in_two_claims_is_flagged(self):
        first = self._claim(1000)
        second = self._claim(500, dealer=self.dealer_b, fund=self.fund_b)
        third = self._claim(700, date_from="2026-11-01", date_to="2026-11-02")
        self._attach(first, photo("red"))
        self._attach(second, photo("red"))
        self._attach(third, photo("blue"))
        (first | second | third).invalidate_recordset()
        self.assertEqual(first.duplicate_proof_claim_ids, second)
        self.assertEqual(second.duplicate_proof_claim_ids, first)
        self.assertFalse(third.duplicate_proof_claim_ids)
        self.assertTrue(first.has_warning)
        flagged = self.env["dealer.expense.claim"].search(
            [("has_warning", "=", True), ("id", "in", (first | second | third).ids)]
        )
        self.assertEqual(flagged, first | second)
        second.action_cancel()
        first.invalidate_recordset()
        self.assertFalse(first.duplicate_proof_claim_ids)

    def test_a_second_claim_for_the_same_customer_and_period_is_flagged(self):
        customers = [Command.set(self.customer_a.ids)]
        first = self._claim(1000, customer_ids=customers)
        overlapping = self._claim(
            500, customer_ids=customers, date_from="2026-10-12", date_to="2026-10-20"
        )
        later = self._claim(
            500, customer_ids=customers, date_from="2026-10-13", date_to="2026-10-20"
        )
        other_type = self._claim(
            500, customer_ids=customers, expense_type=self.type_promotion
        )
        (first | overlapping | later).invalidate_recordset()
        self.assertEqual(first.overlapping_claim_ids, overlapping)
        self.assertEqual(overlapping.overlapping_claim_ids, first | later)
        self.assertFalse(other_type.overlapping_claim_ids)
        no_customer = self._claim(300)
        self.assertFalse(no_customer.overlapping_claim_ids)
        # both without customers: the same dealer, type and period is enough
        self.assertEqual(self._claim(200).overlapping_claim_ids, no_customer)
        self.assertEqual(
            self.env["dealer.expense.claim"].search(
                [("has_warning", "=", False), ("id", "=", other_type.id)]
            ),
            other_type,
        )

    def _sellout(self, rows):
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.dealer_a,
            "backend",
            [
                {
                    "date": day,
                    "product_code": code,
                    "quantity": quantity,
                    "unit_price": 40,
                    "customer_code": customer,
                    "lot": "LOT-CLAIM" if code == "T-TEA" else "",
                }
                for day, code, quantity, customer in rows
            ],
        )
        batch.action_submit()
        return batch

    def test_the_sell_out_of_the_activity_is_linked(self):
        self._deliver(self.dealer_a, self.product_tea, 100, "LOT-CLAIM", "2026-09-01")
        self._deliver(self.dealer_a, self.product_energy, 100, None, "2026-09-01")
        jiaxing_shop = self.customer_a
        self._sellout(
            [
                ("2026-10-10", "T-TEA", 10, jiaxing_shop.code),
                ("2026-10-11", "T-EN", 3, jiaxing_shop.code),
                ("2026-10-12", "T-TEA", -2, jiaxing_shop.code),
                ("2026-10-13", "T-TEA", 7, jiaxing_shop.code),  # after the activity
            ]
        )
        claim = self._claim(1000)
        self.assertEqual(
            (claim.sellout_line_count, claim.sellout_quantity, claim.sellout_amount),
            (3, 11.0, 440.0),
        )
        claim.product_ids = self.product_tea
        self.assertEqual((claim.sellout_quantity, claim.sellout_amount), (8.0, 320.0))
        claim.territory_id = self.huzhou
        self.assertEqual(claim.sellout_line_count, 0)
        claim.territory_id = self.jiaxing
        self.assertEqual(claim.sellout_line_count, 2)
        action = claim.action_view_sellout()
        lines = self.env["dealer.sellout.line"].search(action["domain"])
        self.assertEqual(sorted(lines.mapped("quantity")), [-2.0, 10.0])
        # finance reads it without access to sell-out
        self.assertEqual(claim.with_user(self.billing).sellout_quantity, 8.0)
