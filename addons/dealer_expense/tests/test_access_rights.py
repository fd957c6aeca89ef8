from odoo.exceptions import AccessError
from odoo.fields import Command

from .common import ExpenseCommon, photo


class TestAccessRights(ExpenseCommon):
    """Who reads and does what through the ORM, as JSON-RPC would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim_a = cls._claim(1000)
        cls.proof_a = cls._attach(cls.claim_a, photo("green"), "a.jpg")
        cls.claim_a.action_submit()
        cls.claim_b = cls._claim(500, dealer=cls.dealer_b, fund=cls.fund_b)
        cls.proof_b = cls._attach(cls.claim_b, photo("blue"), "b.jpg")
        # the sub-dealer claims on the fund it shares with dealer A
        cls.claim_sub = cls._claim(300, dealer=cls.sub_dealer, fund=cls.fund_zhejiang)
        cls.proof_sub = cls._attach(cls.claim_sub, photo("grey"), "sub.jpg")
        cls.claim_sub.action_submit()
        cls.draft_fund = cls.env["dealer.fund"].create(
            {
                "name": "未开放基金",
                "dealer_id": cls.dealer_a.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
            }
        )
        cls.our_funds = cls.fund_a | cls.fund_b | cls.fund_zhejiang | cls.draft_fund

    def test_a_dealer_sees_its_funds_and_its_territorys(self):
        Fund = self.env["dealer.fund"].with_user(self.user_a)
        self.assertEqual(
            Fund.search([("id", "in", self.our_funds.ids)]),
            self.fund_a | self.fund_zhejiang,
        )
        for fund in (self.fund_b, self.draft_fund):
            with self.assertRaises(AccessError):
                fund.with_user(self.user_a).read(["name"])
        self.assertEqual(
            self.fund_zhejiang.with_user(self.user_a).available_amount, 19700
        )
        Sub = self.env["dealer.fund"].with_user(self.sub_dealer_user)
        self.assertEqual(
            Sub.search([("id", "in", self.our_funds.ids)]), self.fund_zhejiang
        )
        Lines = self.env["dealer.fund.line"].with_user(self.user_b)
        self.assertEqual(
            Lines.search([("fund_id", "in", self.our_funds.ids)]), self.fund_b.line_ids
        )
        with self.assertRaises(AccessError):
            self.fund_a.line_ids.with_user(self.user_b).read(["amount"])
        Programme = self.env["dealer.fund.programme"].with_user(self.user_b)
        self.assertEqual(Programme.search([]), self.programme)

    def test_a_dealer_sees_only_its_own_claims_even_on_a_shared_fund(self):
        Claim = self.env["dealer.expense.claim"].with_user(self.user_a)
        everything = self.claim_a | self.claim_b | self.claim_sub
        self.assertEqual(Claim.search([("id", "in", everything.ids)]), self.claim_a)
        for claim in (self.claim_b, self.claim_sub):
            with self.assertRaises(AccessError):
                claim.with_user(self.user_a).read(["requested_amount"])
        Decision = self.env["dealer.expense.claim.decision"].with_user(self.user_a)
        self.assertEqual(
            Decision.search([("claim_id", "in", everything.ids)]),
            self.claim_a.decision_ids,
        )
        self.assertEqual(
            self.env["dealer.expense.claim"]
            .with_user(self.sub_dealer_user)
            .search([("id", "in", everything.ids)]),
            self.claim_sub,
        )

    def test_proof_is_read_through_the_claim_page_only(self):
        # Portal users read no attachment through the ORM, their own included:
        # the claim page serves a dealer's own proof (see test_portal).
        for proof in (self.proof_a, self.proof_b, self.proof_sub):
            with self.assertRaises(AccessError):
                proof.with_user(self.user_a).read(["name", "datas"])
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.user_a).search(
                [("res_model", "=", "dealer.expense.claim")]
            )
        # staff read the proof of the claims they may read
        self.assertEqual(
            self.proof_b.with_user(self.channel_user).read(["name"])[0]["name"], "b.jpg"
        )

    def test_a_dealer_cannot_forge_its_way_through_the_orm(self):
        claim = self.claim_a.with_user(self.user_a)
        forged = [
            lambda: claim.write({"requested_amount": 9000}),
            lambda: claim.write({"approved_amount": 1000}),
            lambda: claim.action_approve(),
            lambda: claim.action_approve(1000, "自己批"),
            lambda: claim.action_reject("自己驳回"),
            lambda: claim.action_write_off(),
            lambda: claim.action_cancel(),
            lambda: claim.unlink(),
            lambda: (
                self.env["dealer.expense.claim"]
                .with_user(self.user_a)
                .create(
                    {
                        "dealer_id": self.dealer_a.id,
                        "fund_id": self.fund_a.id,
                        "expense_type_id": self.type_sample.id,
                        "date_from": "2026-10-10",
                        "date_to": "2026-10-10",
                        "requested_amount": 1,
                    }
                )
            ),
            lambda: (
                self.env["dealer.expense.claim.decision"]
                .with_user(self.user_a)
                .create({"claim_id": self.claim_a.id, "kind": "approved", "user_id": 1})
            ),
            lambda: (
                self.env["ir.attachment"]
                .with_user(self.user_a)
                .create(
                    {
                        "name": "x.jpg",
                        "raw": photo(),
                        "res_model": "dealer.expense.claim",
                        "res_id": self.claim_b.id,
                    }
                )
            ),
            lambda: (
                self.env["dealer.fund.line"]
                .with_user(self.user_a)
                .create({"fund_id": self.fund_a.id, "amount": 99999})
            ),
            lambda: self.fund_a.with_user(self.user_a).write({"name": "我的"}),
            lambda: (
                self.env["dealer.expense.write.off"]
                .with_user(self.user_a)
                .create({"claim_ids": [Command.set(self.claim_a.ids)]})
            ),
            lambda: (
                self.env["dealer.expense.claim.approve"]
                .with_user(self.user_a)
                .create({"claim_ids": [Command.set(self.claim_a.ids)]})
            ),
        ]
        for attempt in forged:
            with self.assertRaises(AccessError):
                attempt()
        self.assertEqual(
            (
                self.claim_a.state,
                self.claim_a.requested_amount,
                self.claim_a.move_id.id,
            ),
            ("submitted", 1000, False),
        )
        self.assertEqual(self.fund_a.allocated_amount, 10000)

    def test_staff_rights(self):
        with self.assertRaises(AccessError):
            self.env["dealer.fund"].with_user(self.channel_user).create(
                {
                    "name": "渠道专员建的基金",
                    "dealer_id": self.dealer_a.id,
                    "date_from": "2026-10-01",
                    "date_to": "2026-12-31",
                }
            )
        with self.assertRaises(AccessError):
            self.fund_a.with_user(self.channel_user).write({"name": "改名"})
        with self.assertRaises(AccessError):
            self.env["dealer.expense.claim"].with_user(self.billing).create(
                {
                    "dealer_id": self.dealer_a.id,
                    "fund_id": self.fund_a.id,
                    "expense_type_id": self.type_sample.id,
                    "date_from": "2026-10-10",
                    "date_to": "2026-10-10",
                    "requested_amount": 1,
                }
            )
        # a channel user enters a claim for a dealer, finance reads the funds
        claim = (
            self.env["dealer.expense.claim"]
            .with_user(self.channel_user)
            .create(
                {
                    "dealer_id": self.dealer_b.id,
                    "fund_id": self.fund_b.id,
                    "expense_type_id": self.type_sample.id,
                    "date_from": "2026-10-10",
                    "date_to": "2026-10-10",
                    "requested_amount": 10,
                }
            )
        )
        claim.action_submit()
        self.assertEqual(self.fund_b.with_user(self.billing).committed_amount, 10)
        with self.assertRaises(AccessError):
            self.env["dealer.expense.claim.decision"].with_user(
                self.channel_user
            ).create({"claim_id": claim.id, "kind": "approved", "user_id": 1})

    def test_companies_keep_their_funds_and_claims(self):
        other = self.env["res.company"].create({"name": "测试子公司"})
        fund = self.env["dealer.fund"].create(
            {
                "name": "子公司基金",
                "dealer_id": self.dealer_a.id,
                "company_id": other.id,
                "currency_id": other.currency_id.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "line_ids": [Command.create({"amount": 100.0})],
            }
        )
        fund.action_open()
        claim = self._claim(10, fund=fund)
        self.assertEqual(claim.company_id, other)
        for user in (self.channel_manager, self.billing, self.user_a):
            self.assertFalse(
                self.env["dealer.fund"].with_user(user).search([("id", "=", fund.id)])
            )
            self.assertFalse(
                self.env["dealer.expense.claim"]
                .with_user(user)
                .search([("id", "=", claim.id)])
            )
