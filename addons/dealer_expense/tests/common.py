import base64
import io

from PIL import Image

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.dealer_portal.tests.common import DealerCommon

# The smallest PDF a browser opens: what guess_mimetype reads as a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def photo(colour="green", size=(32, 24)):
    """A small JPEG; another colour makes another file (another checksum)."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="JPEG")
    return output.getvalue()


class ExpenseCommon(DealerCommon):
    """The channel of dealer_portal's tests, with money for market activities.

    Staff: a channel user looking after dealer A, a channel manager, a billing
    clerk and an accounting manager. Funds: dealer A's (10,000 for promotions
    and samples), dealer B's (5,000) and one shared by Zhejiang's dealers
    (20,000 for displays), all open over 2026 Q4, with an analytic account.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.currency = cls.company.currency_id
        cls.channel_user = new_test_user(
            env,
            login="exp_channel",
            password="exp_channel",
            name="渠道专员",
            groups="dealer_portal.group_channel_user",
        )
        cls.channel_manager = new_test_user(
            env,
            login="exp_manager",
            password="exp_manager",
            name="渠道经理",
            groups="dealer_portal.group_channel_manager,analytic.group_analytic_accounting",
        )
        cls.billing = new_test_user(
            env,
            login="exp_finance",
            password="exp_finance",
            name="会计",
            groups="account.group_account_invoice",
        )
        cls.account_manager = new_test_user(
            env,
            login="exp_cfo",
            password="exp_cfo",
            name="财务经理",
            groups="account.group_account_manager",
        )
        cls.dealer_a.user_id = cls.channel_user
        cls.company.write(
            {
                "dealer_expense_manager_limit": 10000.0,
                "dealer_expense_finance_limit": 50000.0,
                "dealer_expense_manager_approver_id": cls.channel_manager.id,
                "dealer_expense_finance_approver_id": cls.account_manager.id,
            }
        )

        cls.expense_account = env["account.account"].create(
            {
                "name": "测试市场费用",
                "code": "660901",
                "account_type": "expense",
            }
        )
        cls.type_promotion = env.ref("dealer_expense.expense_type_promotion")
        cls.type_display = env.ref("dealer_expense.expense_type_display")
        cls.type_sample = env["dealer.expense.type"].create(
            {
                "name": "Samples",
                "code": "T-SAMPLE",
                "requires_photo": False,
            }
        )
        (cls.type_promotion | cls.type_display | cls.type_sample).with_company(
            cls.company
        ).expense_account_id = cls.expense_account

        cls.analytic_plan = env["account.analytic.plan"].create({"name": "测试市场"})
        cls.analytic_east, cls.analytic_zhejiang = env[
            "account.analytic.account"
        ].create(
            [
                {"name": "测试华东", "plan_id": cls.analytic_plan.id},
                {"name": "测试浙江", "plan_id": cls.analytic_plan.id},
            ]
        )
        cls.programme = env["dealer.fund.programme"].create(
            {"name": "测试第四季度", "code": "T-Q4"}
        )
        Fund = env["dealer.fund"]
        cls.fund_a = Fund.create(
            {
                "name": "测试促销基金 A",
                "dealer_id": cls.dealer_a.id,
                "programme_id": cls.programme.id,
                "expense_type_ids": [
                    Command.set((cls.type_promotion | cls.type_sample).ids)
                ],
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "analytic_distribution": {str(cls.analytic_east.id): 100},
                "line_ids": [Command.create({"amount": 10000.0, "date": "2026-10-01"})],
            }
        )
        cls.fund_b = Fund.create(
            {
                "name": "测试促销基金 B",
                "dealer_id": cls.dealer_b.id,
                "programme_id": cls.programme.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "line_ids": [Command.create({"amount": 5000.0, "date": "2026-10-01"})],
            }
        )
        cls.fund_zhejiang = Fund.create(
            {
                "name": "测试浙江陈列基金",
                "territory_id": cls.zhejiang.id,
                "expense_type_ids": [
                    Command.set((cls.type_display | cls.type_sample).ids)
                ],
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "analytic_distribution": {str(cls.analytic_zhejiang.id): 100},
                "line_ids": [Command.create({"amount": 20000.0, "date": "2026-10-01"})],
            }
        )
        (cls.fund_a | cls.fund_b | cls.fund_zhejiang).action_open()
        cls.sub_dealer_user = cls._dealer_user(cls.sub_dealer, "sub_dealer")

    @classmethod
    def _claim(cls, amount=1000.0, dealer=None, fund=None, expense_type=None, **values):
        """A draft claim of dealer A on its fund, for samples (no proof needed)."""
        return cls.env["dealer.expense.claim"].create(
            {
                "dealer_id": (dealer or cls.dealer_a).id,
                "fund_id": (fund or cls.fund_a).id,
                "expense_type_id": (expense_type or cls.type_sample).id,
                "date_from": "2026-10-10",
                "date_to": "2026-10-12",
                "requested_amount": amount,
                **values,
            }
        )

    @classmethod
    def _approved(cls, amount=1000.0, approved=None, **values):
        claim = cls._claim(amount, **values)
        claim.action_submit()
        claim.action_approve(approved, "部分认可" if approved else None)
        return claim

    @classmethod
    def _attach(cls, claim, content=None, name="proof.jpg"):
        """Attach proof as the dealer does: through the claim's own method."""
        errors = claim._add_proof([(name, content or photo())])
        assert not errors, errors
        return claim.proof_ids.filtered(lambda proof: proof.name == name)[-1:]

    @staticmethod
    def _b64(content):
        return base64.b64encode(content).decode()
