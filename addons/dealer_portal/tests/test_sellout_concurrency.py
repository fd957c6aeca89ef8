import secrets
import threading
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

from ..models.dealer_sellout_batch import LOCK_JOB
from .common import race

HEADER = "日期,产品编码,数量,单价,客户编码,单据号\n"


@tagged("post_install", "-at_install")
class TestSelloutConcurrency(BaseCase):
    """Uploads, submissions, decisions and background jobs at the same moment,
    each in its own cursor and thread, as two users' requests or two cron
    workers run in Odoo.

    Each thread runs its work through ``retrying``, as Odoo's HTTP layer does:
    a transaction PostgreSQL fails for a concurrent update runs again. The
    threads cannot see a test's transaction: the world is committed, and
    removed again at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.world = {}
        cls._remove_leftovers()
        cls.addClassCleanup(cls._remove_world)
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            token = secrets.token_hex(4)
            category = env["product.category"].create({"name": f"并发 {token}"})
            product = env["product.product"].create(
                {
                    "name": f"并发测试绿茶 {token}",
                    "default_code": f"CC-{token}",
                    "categ_id": category.id,
                    "is_storable": True,
                }
            )
            zhejiang = env.ref("dealer_portal.territory_zhejiang")
            dealer = env["res.partner"].create(
                {
                    "name": f"并发测试商贸 {token}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": f"CC-{token}",
                    "dealer_territory_ids": [Command.set(zhejiang.ids)],
                    "dealer_category_ids": [Command.set(category.ids)],
                }
            )
            customer = env["dealer.customer"].create(
                {
                    "dealer_id": dealer.id,
                    "code": f"CC-{token}",
                    "name": f"并发测试超市 {token}",
                    "state_id": env.ref("base.state_cn_ZJ").id,
                }
            )
            cls.world.update(
                token=token,
                category=category.id,
                product=product.id,
                dealer=dealer.id,
                customer=customer.id,
            )

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_reports)
        with self.registry.cursor() as cr:
            # ten in stock, before any sale of the tests
            self._env(cr)["dealer.stock.move"].create(
                {
                    "dealer_id": self.world["dealer"],
                    "date": "2026-09-01",
                    "kind": "opening",
                    "product_id": self.world["product"],
                    "quantity": 10,
                    "reference": "opening",
                }
            )

    @classmethod
    def _env(cls, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    @classmethod
    def _remove_reports(cls, world=None):
        """Leave the database as it was: the ledger, reports and their mail."""
        world = world or cls.world
        with cls.registry.cursor() as cr:
            dealer = world["dealer"]
            batches = [
                batch_id
                for (batch_id,) in cls._env(cr).execute_query(
                    SQL(
                        "SELECT id FROM dealer_sellout_batch WHERE dealer_id = %s",
                        dealer,
                    )
                )
            ]
            stocktakes = [
                stocktake_id
                for (stocktake_id,) in cls._env(cr).execute_query(
                    SQL("SELECT id FROM dealer_stocktake WHERE dealer_id = %s", dealer)
                )
            ]
            for table, column, value in (
                ("dealer_stock_move", "dealer_id", dealer),
                ("dealer_stock_daily", "dealer_id", dealer),
                ("dealer_sellout_issue", "dealer_id", dealer),
                ("dealer_sellout_line", "dealer_id", dealer),
                ("mail_activity", "res_id", batches),
                ("mail_message", "res_id", batches),
                ("mail_followers", "res_id", batches),
                ("ir_attachment", "res_id", batches),
                ("dealer_sellout_batch", "dealer_id", dealer),
                ("mail_activity", "stocktake", stocktakes),
                ("mail_message", "stocktake", stocktakes),
                ("mail_followers", "stocktake", stocktakes),
                ("dealer_stocktake", "dealer_id", dealer),
            ):
                model = SQL(
                    "AND %s = %s",
                    SQL.identifier("model" if table == "mail_message" else "res_model"),
                    "dealer.stocktake"
                    if column == "stocktake"
                    else "dealer.sellout.batch",
                )
                if column == "stocktake":
                    column = "res_id"
                elif column != "res_id":
                    model = SQL()
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = ANY(%s) %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        value if isinstance(value, list) else [value],
                        model,
                    )
                )
            # customers the tests registered; the world's one stays
            cr.execute(
                SQL(
                    "DELETE FROM dealer_customer WHERE dealer_id = %s AND id != %s",
                    dealer,
                    world["customer"],
                )
            )

    @classmethod
    def _remove_world(cls, world=None):
        world = world or cls.world
        if not world:
            return
        cls._remove_reports(world)
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            cr.execute(
                SQL("DELETE FROM dealer_customer WHERE dealer_id = %s", world["dealer"])
            )
            env["res.partner"].browse(world["dealer"]).unlink()
            env["product.product"].browse(world["product"]).unlink()
            env["product.category"].browse(world["category"]).unlink()

    @classmethod
    def _remove_leftovers(cls):
        """Remove the worlds of runs that were killed before they cleaned up:
        their dealers would be seen by other tests of the same database."""
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            dealers = env["res.partner"].search(
                [("dealer_code", "=like", "CC-%"), ("name", "=like", "并发测试商贸 %")]
            )
            worlds = [
                {
                    "dealer": dealer.id,
                    "customer": 0,
                    "product": env["product.product"]
                    .search([("default_code", "=", dealer.dealer_code)])
                    .ids,
                    "category": env["product.category"]
                    .search([("name", "=", f"并发 {dealer.dealer_code[3:]}")])
                    .ids,
                }
                for dealer in dealers
            ]
        for world in worlds:
            cls._remove_world(world)

    # -- helpers ---------------------------------------------------------------

    def _file(self, *quantities, ref="D"):
        """A sell-out file: one sale of the world's product per quantity."""
        token = self.world["token"]
        lines = [
            f"2026-10-{day + 1:02d},CC-{token},{quantity},38,CC-{token},{ref}{day}"
            for day, quantity in enumerate(quantities)
        ]
        return (HEADER + "\n".join(lines) + "\n").encode()

    def _upload(self, content, name="sellout.csv", background=False):
        """A batch of the world's dealer, committed: draft, or with its file
        waiting to be read in the background."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.company
            size = company.dealer_sellout_async_size
            if background:
                company.dealer_sellout_async_size = 0
            dealer = env["res.partner"].browse(self.world["dealer"])
            batch = env["dealer.sellout.batch"]._upload(dealer, name, content)
            company.dealer_sellout_async_size = size
            return batch.id

    def _race(self, *jobs):
        """:func:`race` of the jobs; ``self.retries`` keeps its retries."""
        outcomes, self.retries = race(self.registry, jobs)
        return outcomes

    def _ledger(self):
        """The dealer's stock of the product: from the ledger's lines, from the
        daily summary, and the number of ledger lines."""
        with self.registry.cursor() as cr:
            [(moves, days, count)] = self._env(cr).execute_query(
                SQL(
                    """
                    SELECT (SELECT SUM(quantity) FROM dealer_stock_move
                             WHERE dealer_id = %(dealer)s AND product_id = %(product)s),
                           (SELECT SUM(quantity) FROM dealer_stock_daily
                             WHERE dealer_id = %(dealer)s AND product_id = %(product)s),
                           (SELECT COUNT(*) FROM dealer_stock_move
                             WHERE dealer_id = %(dealer)s AND product_id = %(product)s)
                    """,
                    dealer=self.world["dealer"],
                    product=self.world["product"],
                )
            )
        return moves, days, count

    def _batches(self, *fields):
        with self.registry.cursor() as cr:
            batches = self._env(cr)["dealer.sellout.batch"].search(
                [("dealer_id", "=", self.world["dealer"])], order="id"
            )
            return [
                tuple(batch[name] for name in fields)
                + (batch.line_count, batch.posted_count, batch.review_count)
                for batch in batches
            ]

    @staticmethod
    def _submit(batch_id, env):
        env["dealer.sellout.batch"].browse(batch_id).action_submit()
        return "done"

    # -- tests -----------------------------------------------------------------

    def test_same_file_uploaded_twice_at_the_same_moment(self):
        content = self._file(1, 2, 3)
        dealer = self.world["dealer"]

        def upload(env):
            partner = env["res.partner"].browse(dealer)
            batch = env["dealer.sellout.batch"]._upload(partner, "a.csv", content)
            return batch.id

        first, second = self._race(upload, upload)
        self.assertEqual(first, second, "both uploads give back the same batch")
        self.assertEqual(self._batches("id"), [(first, 3, 0, 0)])

    def test_same_api_reference_sent_twice_at_the_same_moment(self):
        token, dealer = self.world["token"], self.world["dealer"]
        rows = [
            {
                "date": "2026-10-05",
                "product_code": f"CC-{token}",
                "quantity": "1",
                "unit_price": "38",
                "customer_code": f"CC-{token}",
            }
        ]

        def send(env):
            partner = env["res.partner"].browse(dealer)
            Batch = env["dealer.sellout.batch"]
            return Batch._from_rows(partner, "api", rows, client_ref="ERP-1").id

        first, second = self._race(send, send)
        self.assertEqual(first, second)
        self.assertEqual(self._batches("id"), [(first, 1, 0, 0)])

    def test_the_same_sales_in_two_batches_at_the_same_moment(self):
        first = self._upload(self._file(2, 3), "a.csv")
        # the same lines, in another file
        second = self._upload(self._file(2, 3) + b"\n", "b.csv")
        outcomes = self._race(
            partial(self._submit, first), partial(self._submit, second)
        )
        self.assertEqual(outcomes, ["done", "done"])
        # the later one read what the first posted: its lines are duplicates
        self.assertEqual(
            sorted(self._batches("state")), [("done", 2, 2, 0), ("submitted", 2, 0, 2)]
        )
        with self.registry.cursor() as cr:
            issues = self._env(cr)["dealer.sellout.issue"].search(
                [("dealer_id", "=", self.world["dealer"])]
            )
            self.assertEqual(issues.mapped("rule"), ["duplicate", "duplicate"])
        self.assertEqual(self._ledger(), (5.0, 5.0, 3))

    def test_two_batches_drawing_on_the_same_stock(self):
        first = self._upload(self._file(7, ref="A"), "a.csv")
        second = self._upload(self._file(7, ref="B"), "b.csv")
        outcomes = self._race(
            partial(self._submit, first), partial(self._submit, second)
        )
        self.assertEqual(outcomes, ["done", "done"])
        # the later one waited, was failed by PostgreSQL and ran again on fresh
        # data: its line goes to review instead of selling stock already sold
        self.assertTrue(self.retries)
        states = sorted(self._batches("state"))
        self.assertEqual(states, [("done", 1, 1, 0), ("submitted", 1, 0, 1)])
        self.assertEqual(self._ledger(), (3.0, 3.0, 2))

    def test_two_batches_naming_the_same_new_customer(self):
        token = self.world["token"]
        batches = [
            self._upload(
                (f"{HEADER}2026-10-0{n},CC-{token},1,38,NEW-{token},N{n}\n").encode(),
                f"{n}.csv",
            )
            for n in (1, 2)
        ]
        outcomes = self._race(*(partial(self._submit, batch) for batch in batches))
        self.assertEqual(outcomes, ["done", "done"])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            customers = env["dealer.customer"].search(
                [
                    ("dealer_id", "=", self.world["dealer"]),
                    ("code", "=", f"NEW-{token}"),
                ]
            )
            self.assertEqual(len(customers), 1)
            lines = env["dealer.sellout.line"].search([("batch_id", "in", batches)])
            self.assertEqual(lines.customer_id, customers)
        self.assertEqual(self._ledger(), (8.0, 8.0, 3))

    def test_a_background_and_a_foreground_submission_on_the_same_stock(self):
        first = self._upload(self._file(7, ref="A"), "a.csv")
        second = self._upload(self._file(7, ref="B"), "b.csv")
        with self.registry.cursor() as cr:
            self._env(cr)["dealer.sellout.batch"].browse(first)._queue_job("submit")

        def worker(env):
            env["dealer.sellout.batch"]._cron_run_jobs()
            return "done"

        outcomes = self._race(worker, partial(self._submit, second))
        self.assertEqual(outcomes, ["done", "done"])
        states = sorted(self._batches("state", "job_state"))
        self.assertEqual(
            states, [("done", False, 1, 1, 0), ("submitted", False, 1, 0, 1)]
        )
        self.assertEqual(self._ledger(), (3.0, 3.0, 2))

    def test_a_stocktake_validated_while_a_sale_is_posted(self):
        batch_id = self._upload(self._file(3))
        with self.registry.cursor() as cr:
            stocktake_id = (
                self._env(cr)["dealer.stocktake"]
                .create(
                    {
                        "dealer_id": self.world["dealer"],
                        "date": "2026-10-31",
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": self.world["product"],
                                    "counted_quantity": 7,
                                }
                            )
                        ],
                    }
                )
                .id
            )
        begun, posted, failures = threading.Event(), threading.Event(), []

        def validate():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    stocktake = env["dealer.stocktake"].browse(stocktake_id)
                    stocktake.mapped("state")  # its snapshot: before the sale
                    begun.set()
                    posted.wait(timeout=30)
                    retrying(stocktake.action_validate, env)
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(error)

        thread = threading.Thread(target=validate)
        thread.start()
        begun.wait(timeout=30)
        with self.registry.cursor() as cr:
            self._env(cr)["dealer.sellout.batch"].browse(batch_id).action_submit()
        posted.set()
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            thread.join(timeout=60)
        self.assertFalse(failures)
        # the stocktake counted the stock after the sale: it agrees with the
        # ledger, which it read after the sale too
        with self.registry.cursor() as cr:
            line = self._env(cr)["dealer.stocktake"].browse(stocktake_id).line_ids
            self.assertEqual((line.ledger_quantity, line.difference), (7.0, 0.0))
        self.assertEqual(self._ledger(), (7.0, 7.0, 2))

    def test_a_return_to_us_written_while_a_sale_is_submitted(self):
        batch_id = self._upload(self._file(7))  # 7 of the 10 in stock: fine alone
        written, release, failures = threading.Event(), threading.Event(), []

        def give_back():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["dealer.stock.move"].create(
                        {
                            "dealer_id": self.world["dealer"],
                            "date": "2026-09-30",
                            "kind": "return_to_supplier",
                            "product_id": self.world["product"],
                            "quantity": -5,
                            "reference": "RET-1",
                        }
                    )
                    written.set()
                    release.wait(timeout=30)
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(error)

        thread = threading.Thread(target=give_back)
        thread.start()
        written.wait(timeout=30)
        # the submission below begins before the return is committed
        threading.Timer(1.0, release.set).start()
        with (
            self.registry.cursor() as cr,
            mute_logger("odoo.sql_db", "odoo.service.model"),
        ):
            env = self._env(cr)
            retrying(partial(self._submit, batch_id, env), env)
        thread.join(timeout=60)
        self.assertFalse(failures)
        # the submission waited for the return's lock, ran again on the ledger
        # with the return, and found 5 left for a sale of 7
        self.assertEqual(self._batches("state"), [("submitted", 1, 0, 1)])
        self.assertEqual(self._ledger(), (5.0, 5.0, 2))

    def test_one_batch_submitted_twice_at_the_same_moment(self):
        batch = self._upload(self._file(2, 3))
        outcomes = self._race(
            partial(self._submit, batch), partial(self._submit, batch)
        )
        self.assertIn("done", outcomes)
        refused = next(outcome for outcome in outcomes if outcome != "done")
        self.assertIn("Only a draft batch", refused)
        self.assertEqual(self._batches("state"), [("done", 2, 2, 0)])
        self.assertEqual(self._ledger(), (5.0, 5.0, 3))

    def test_one_issue_waived_twice_at_the_same_moment(self):
        batch_id = self._upload(self._file(15))
        with self.registry.cursor() as cr:
            batch = self._env(cr)["dealer.sellout.batch"].browse(batch_id)
            batch.action_submit()
            [issue_id] = batch.issue_ids.filtered(
                lambda issue: issue.rule == "oversell"
            ).ids

        def waive(env):
            env["dealer.sellout.issue"].browse(issue_id)._decide("waived", "已核实")
            return "done"

        outcomes = self._race(waive, waive)
        self.assertIn("done", outcomes)
        refused = next(outcome for outcome in outcomes if outcome != "done")
        self.assertIn("decided already", refused)
        self.assertEqual(self._batches("state"), [("done", 1, 1, 0)])
        self.assertEqual(self._ledger(), (-5.0, -5.0, 2))

    def test_two_cron_workers_run_each_job_once(self):
        batch_ids = [
            self._upload(
                self._file(*range(1, n + 2), ref=f"J{n}"), f"{n}.csv", background=True
            )
            for n in range(4)
        ]
        self.assertEqual(
            self._batches("job_state"), [("queued", 0, 0, 0)] * len(batch_ids)
        )

        def worker(env):
            Batch = env["dealer.sellout.batch"]
            for _attempt in range(10):
                Batch._cron_run_jobs()
                env.cr.commit()
                if not Batch.search_count(
                    [("id", "in", batch_ids), ("job_state", "=", "queued")]
                ):
                    break
            return "done"

        self.assertEqual(self._race(worker, worker), ["done", "done"])
        self.assertEqual(
            self._batches("job_state", "job_tries"),
            [(False, 1, n + 1, 0, 0) for n in range(4)],
        )

    def test_a_large_file_read_in_the_background_shows_its_progress(self):
        batch_id = self._upload(self._file(*[1] * 28), background=True)
        # progress is written, and seen, every 10 rows, while the lines are read
        with (
            patch("odoo.addons.dealer_portal.services.sellout_loader.CHUNK_ROWS", 10),
            self.registry.cursor() as cr,
        ):
            self._env(cr)["dealer.sellout.batch"]._cron_run_jobs()
        with self.registry.cursor() as cr:
            batch = self._env(cr)["dealer.sellout.batch"].browse(batch_id)
            self.assertEqual(
                (
                    batch.job_state,
                    batch.job_error,
                    batch.job_progress,
                    batch.line_count,
                ),
                (False, False, 28, 28),
            )

    def test_a_running_job_of_a_live_worker_is_left_alone(self):
        batch_id = self._upload(self._file(1), background=True)
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE dealer_sellout_batch SET job_state = 'running', "
                    "job_tries = 1 WHERE id = %s",
                    batch_id,
                )
            )
        with self.registry.cursor() as worker_cr:
            # a worker holds the job's lock: it is alive
            worker_cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", LOCK_JOB, batch_id)
            )
            with self.registry.cursor() as cr:
                self._env(cr)["dealer.sellout.batch"]._requeue_stalled_jobs()
            self.assertEqual(self._batches("job_state"), [("running", 0, 0, 0)])
        # the worker died: its lock is gone, the job runs again
        with self.registry.cursor() as cr:
            self._env(cr)["dealer.sellout.batch"]._cron_run_jobs()
        self.assertEqual(self._batches("job_state", "job_tries"), [(False, 2, 1, 0, 0)])
