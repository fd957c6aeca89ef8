import secrets
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL

from odoo.addons.dealer_portal.tests.common import race


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    """Two requests at the same moment, each in its own cursor and thread, as
    two users' requests run in Odoo: a fund never goes below zero.

    Each thread runs its work through ``retrying``, as Odoo's HTTP layer does,
    so that a transaction failed by PostgreSQL for a concurrent update is run
    again. The threads cannot see a test's transaction: the setup is committed,
    and removed again at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_world)
        cls.world = {}
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            token = secrets.token_hex(4)
            dealer = env["res.partner"].create(
                {
                    "name": f"并发测试商贸 {token}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": f"CC-{token}",
                }
            )
            expense_type = env["dealer.expense.type"].create(
                {"name": "并发测试", "code": f"CC-{token}", "requires_photo": False}
            )
            company = env.company
            expense_type.with_company(company).expense_account_id = env[
                "dealer.expense.type"
            ]._default_expense_account(company)
            cls.world.update(dealer=dealer.id, type=expense_type.id)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            fund = self._env(cr)["dealer.fund"].create(
                {
                    "name": "并发测试基金",
                    "dealer_id": self.world["dealer"],
                    "date_from": "2026-10-01",
                    "date_to": "2026-12-31",
                    "line_ids": [Command.create({"amount": 100.0})],
                }
            )
            fund.action_open()
            self.fund_id = fund.id
        self.addCleanup(self._remove_fund, self.fund_id)

    @classmethod
    def _env(cls, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    @classmethod
    def _remove_world(cls):
        if not cls.world:
            return
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            env["dealer.expense.type"].browse(cls.world["type"]).unlink()
            env["res.partner"].browse(cls.world["dealer"]).unlink()

    def _remove_fund(self, fund_id):
        """Leave the database as it was: claims, their moves, messages and all."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            fund = env["dealer.fund"].browse(fund_id)
            claims = env["dealer.expense.claim"].search([("fund_id", "=", fund.id)])
            moves = claims.move_ids
            moves.filtered(lambda move: move.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            # cancelled claims and draft funds may be deleted, with their mail
            cr.execute(
                SQL(
                    "UPDATE dealer_expense_claim SET state = 'cancelled' "
                    "WHERE id = ANY(%s)",
                    claims.ids,
                )
            )
            cr.execute(
                SQL("UPDATE dealer_fund SET state = 'draft' WHERE id = %s", fund.id)
            )
            env.invalidate_all()
            claims.unlink()
            fund.unlink()

    def _claims(self, *amounts, submit=False):
        with self.registry.cursor() as cr:
            claims = self._env(cr)["dealer.expense.claim"].create(
                [
                    {
                        "dealer_id": self.world["dealer"],
                        "fund_id": self.fund_id,
                        "expense_type_id": self.world["type"],
                        "date_from": "2026-10-10",
                        "date_to": "2026-10-10",
                        "requested_amount": amount,
                    }
                    for amount in amounts
                ]
            )
            if submit:
                claims.action_submit()
            return claims.ids

    def _race(self, *jobs):
        """:func:`race` of the jobs ``(method, claim ids, args)``: each returns
        ``"done"`` or the message of the error that refused it;
        ``self.retries`` keeps the retries."""

        def call(method, claim_ids, args, env):
            getattr(env["dealer.expense.claim"].browse(claim_ids), method)(*args)
            return "done"

        outcomes, self.retries = race(
            self.registry, [partial(call, *job) for job in jobs]
        )
        return outcomes

    def _state(self):
        """The fund as stored, and its balance recomputed from the claims."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            fund = env["dealer.fund"].browse(self.fund_id)
            claims = env["dealer.expense.claim"].search([("fund_id", "=", fund.id)])
            recomputed = (
                sum(fund.line_ids.mapped("amount"))
                - sum(claims.mapped("committed_amount"))
                - sum(claims.mapped("consumed_amount"))
            )
            return (
                fund.available_amount,
                recomputed,
                dict(zip(claims.ids, claims.mapped("state"), strict=True)),
            )

    def assertConsistent(self, expected_available):
        available, recomputed, _states = self._state()
        self.assertEqual(available, recomputed)
        self.assertGreaterEqual(available, 0)
        self.assertEqual(available, expected_available)

    def test_two_claims_submitted_at_the_same_moment(self):
        first, second = self._claims(60, 60)
        outcomes = self._race(
            ("action_submit", [first], ()), ("action_submit", [second], ())
        )
        self.assertEqual(outcomes.count("done"), 1, outcomes)
        refused = next(outcome for outcome in outcomes if outcome != "done")
        self.assertIn("does not have enough budget left", refused)
        # they did run at the same moment: the second one waited on the fund's
        # lock, was failed by PostgreSQL and ran again on fresh data
        self.assertTrue(self.retries)
        _available, _recomputed, states = self._state()
        self.assertEqual(
            sorted([states[first], states[second]]), ["draft", "submitted"]
        )
        self.assertConsistent(40)

    def test_three_claims_for_more_than_the_fund_holds(self):
        claims = self._claims(40, 40, 40)
        outcomes = self._race(*[("action_submit", [claim], ()) for claim in claims])
        self.assertEqual(outcomes.count("done"), 2, outcomes)
        self.assertConsistent(20)

    def test_approval_and_submission_at_the_same_moment(self):
        first, second = self._claims(50, 50, submit=True)
        [third] = self._claims(20)
        self.assertConsistent(0)
        outcomes = self._race(
            ("action_approve", [first], (30, "部分认可")),
            ("action_submit", [third], ()),
        )
        self.assertEqual(outcomes[0], "done")
        # the submission got the 20 freed by the approval, or found nothing left
        _available, _recomputed, states = self._state()
        if outcomes[1] == "done":
            self.assertEqual(states[third], "submitted")
            self.assertConsistent(0)
        else:
            self.assertIn("does not have enough budget left", outcomes[1])
            self.assertConsistent(20)
        outcomes = self._race(
            ("action_approve", [second], (50,)), ("action_reject", [first], ("撤回",))
        )
        self.assertEqual(outcomes, ["done", "done"])
        _available, _recomputed, states = self._state()
        self.assertEqual((states[first], states[second]), ("rejected", "approved"))
        self.assertConsistent(50 - (20 if states[third] == "submitted" else 0))

    def test_two_write_offs_of_one_claim_make_one_move(self):
        [claim_id] = self._claims(25, submit=True)
        with self.registry.cursor() as cr:
            self._env(cr)["dealer.expense.claim"].browse(claim_id).action_approve()
        outcomes = self._race(
            ("action_write_off", [claim_id], ()), ("action_write_off", [claim_id], ())
        )
        self.assertEqual(outcomes, ["done", "done"])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["account.move"].search(
                [("dealer_expense_claim_id", "=", claim_id)]
            )
            self.assertEqual(len(moves), 1)
            self.assertEqual(
                env["dealer.expense.claim"].browse(claim_id).move_id, moves
            )
        self.assertConsistent(75)
