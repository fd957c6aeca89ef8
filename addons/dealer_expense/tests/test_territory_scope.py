from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user

from .common import ExpenseCommon, photo


class TestTerritoryScope(ExpenseCommon):
    """Staff of 浙江省 see its dealers' funds and claims and decide on them;
    finance sees everything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.east = cls.env.ref("dealer_portal.territory_east")
        cls.zj_user, cls.zj_manager, cls.east_manager = (
            new_test_user(
                cls.env,
                login=login,
                groups=group,
                dealer_territory_ids=[Command.set(territory.ids)],
            )
            for login, group, territory in (
                ("zj_user", "dealer_portal.group_channel_user", cls.zhejiang),
                ("zj_manager", "dealer_portal.group_channel_manager", cls.zhejiang),
                ("east_manager", "dealer_portal.group_channel_manager", cls.east),
            )
        )
        cls.zhejiang.manager_ids = cls.zj_user | cls.zj_manager
        cls.east.manager_ids = cls.east_manager
        cls.fund_east = cls.env["dealer.fund"].create(
            {
                "name": "测试华东基金",
                "territory_id": cls.east.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "line_ids": [
                    Command.create({"amount": 100000.0, "date": "2026-10-01"})
                ],
            }
        )
        cls.fund_east.action_open()
        cls.claim_a = cls._claim(1000)
        cls.claim_b = cls._claim(500, dealer=cls.dealer_b, fund=cls.fund_b)
        cls.claim_sub = cls._claim(300, dealer=cls.sub_dealer, fund=cls.fund_zhejiang)
        cls.our_claims = cls.claim_a | cls.claim_b | cls.claim_sub
        cls.our_funds = cls.fund_a | cls.fund_b | cls.fund_zhejiang | cls.fund_east

    def _seen(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_provincial_staff_see_their_dealers_funds_and_claims(self):
        for user in (self.zj_user, self.zj_manager):
            self.assertEqual(
                self._seen(user, "dealer.expense.claim", self.our_claims),
                self.claim_a | self.claim_sub,
            )
            # its dealers' funds, its province's, and the region's above it
            self.assertEqual(
                self._seen(user, "dealer.fund", self.our_funds),
                self.fund_a | self.fund_zhejiang | self.fund_east,
            )
            with self.assertRaises(AccessError):
                self.claim_b.with_user(user).read(["requested_amount"])
            with self.assertRaises(AccessError):
                self.fund_b.with_user(user).read(["available_amount"])
        report = self.env["dealer.fund.report"].with_user(self.zj_user)
        self.assertNotIn(self.fund_b, report.search([]).fund_id)

    def test_staff_without_territories_and_finance_see_everything(self):
        national = new_test_user(
            self.env, login="national", groups="dealer_portal.group_channel_manager"
        )
        # a billing clerk who also works the channel of 上海 keeps finance's view
        clerk = new_test_user(
            self.env,
            login="sh_clerk",
            groups="dealer_portal.group_channel_user,account.group_account_invoice",
            dealer_territory_ids=[Command.set(self.shanghai.ids)],
        )
        for user in (national, clerk, self.billing):
            self.assertEqual(
                self._seen(user, "dealer.expense.claim", self.our_claims),
                self.our_claims,
                user.login,
            )
            self.assertEqual(
                self._seen(user, "dealer.fund", self.our_funds), self.our_funds
            )

    def _submitted(self, claim):
        self._attach(claim, photo(f"#{claim.id:06x}"), f"{claim.id}.jpg")
        claim.action_submit()
        return claim.activity_ids.user_id

    def test_approval_climbs_the_territory_tree_by_amount(self):
        self.dealer_a.user_id = False
        # within a channel user's reach: the province's first staff member
        self.assertEqual(self._submitted(self.claim_a), self.zj_user)
        # the sub-dealer's city has no staff: its province decides
        self.assertEqual(self._submitted(self.claim_sub), self.zj_user)
        # above the channel user's limit: the province's manager
        large = self._claim(12000, fund=self.fund_east, expense_type=self.type_sample)
        self.assertEqual(large.approval_level, "manager")
        self.assertEqual(self._submitted(large), self.zj_manager)
        # no manager in the province: the region's
        self.zhejiang.manager_ids = self.zj_user
        larger = self._claim(11000, fund=self.fund_east, expense_type=self.type_sample)
        self.assertEqual(self._submitted(larger), self.east_manager)
        # above the finance limit: nobody in the tree is finance, the company's
        # finance approver decides
        largest = self._claim(60000, fund=self.fund_east, expense_type=self.type_sample)
        self.assertEqual(largest.approval_level, "finance")
        self.assertEqual(self._submitted(largest), self.account_manager)
