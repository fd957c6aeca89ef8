from odoo.tests import freeze_time
from odoo.tools import SQL

from ..models.dealer_sellout_line import PARTITIONED_TABLES
from ..services import partitioning
from .common import DealerCommon


@freeze_time("2026-11-27")
class TestPartitioning(DealerCommon):
    """The sell-out tables partitioned by month keep working, through Odoo's
    schema checks and updates, posting, and the monthly roll."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_energy, 100)
        cls.first = cls._report("2026-11-20", 5)

    @classmethod
    def _report(cls, date, quantity):
        batch = cls.env["dealer.sellout.batch"]._from_rows(
            cls.dealer_a,
            "backend",
            [
                {
                    "date": date,
                    "product_code": "T-EN",
                    "quantity": str(quantity),
                    "unit_price": "95",
                    "customer_code": "C-A-001",
                }
            ],
        )
        batch.action_submit()
        return batch

    def _partition_of(self, table, ids):
        return set(
            self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT tableoid::regclass::text FROM %s
                     WHERE id = ANY(%s)
                    """,
                    SQL.identifier(table),
                    list(ids),
                )
            )
        )

    def _counts(self):
        return {
            table: self.env.execute_query(
                SQL("SELECT count(*) FROM %s", SQL.identifier(table))
            )[0][0]
            for table in PARTITIONED_TABLES
        }

    def test_partitioned_tables_keep_rows_keys_and_work(self):
        before = self._counts()
        self.env["dealer.sellout.line"]._partition_tables(capacity=1000)
        cr = self.env.cr
        for table in PARTITIONED_TABLES:
            self.assertTrue(partitioning.is_partitioned(cr, table))
            self.assertEqual(
                set(partitioning.partitions(cr, table)),
                {f"{table}_history", f"{table}_202611", f"{table}_next"},
            )
        self.assertEqual(self._counts(), before)
        self.assertEqual(
            self._partition_of("dealer_sellout_line", self.first.line_ids.ids),
            {("dealer_sellout_line_history",)},
        )
        # Odoo sees the tables, as at every start, and updates them.
        with self.assertNoLogs("odoo.modules.registry", "ERROR"):
            self.env.registry.check_tables_exist(cr)
            self.env.registry.init_models(
                cr,
                ["dealer.sellout.line", "dealer.sellout.issue", "dealer.stock.move"],
                {"module": "dealer_portal"},
                install=False,
            )
        foreign_keys = self.env.execute_query(
            SQL(
                """
                SELECT conrelid::regclass::text, confrelid::regclass::text
                  FROM pg_constraint
                 WHERE conname = 'dealer_sellout_issue_line_id_fkey'
                   AND conparentid = 0
                """
            )
        )
        self.assertEqual(
            foreign_keys, [("dealer_sellout_issue", "dealer_sellout_line")]
        )

        second = self._report("2026-11-25", 3)
        self.assertEqual(
            self._partition_of("dealer_sellout_line", second.line_ids.ids),
            {("dealer_sellout_line_202611",)},
        )
        self.assertEqual(second.line_ids.state, "posted")
        moves = self.env["dealer.stock.move"].search(
            [("sellout_line_id", "in", second.line_ids.ids)]
        )
        self.assertEqual(moves.quantity, -3)
        self.assertEqual(
            self._partition_of("dealer_stock_move", moves.ids),
            {("dealer_stock_move_202611",)},
        )
        # the duplicate rule still finds the line, across partitions
        duplicate = self.env["dealer.sellout.batch"]._from_rows(
            self.dealer_a,
            "backend",
            [
                {
                    "date": "2026-11-20",
                    "product_code": "T-EN",
                    "quantity": "5",
                    "unit_price": "95",
                    "customer_code": "C-A-001",
                }
            ],
        )
        self.assertIn("duplicate", duplicate.line_ids.issue_ids.mapped("rule"))

    def test_month_roll_and_spill(self):
        self.env["dealer.sellout.line"]._partition_tables(capacity=1000)
        cr = self.env.cr
        next_low = partitioning.partitions(cr, "dealer_sellout_line")[
            "dealer_sellout_line_next"
        ][0]
        with freeze_time("2026-12-01"):
            self.env["dealer.sellout.line"]._cron_roll_partitions()
            december = self._report("2026-12-01", 2)
        found = partitioning.partitions(cr, "dealer_sellout_line")
        self.assertEqual(found["dealer_sellout_line_202612"][0], next_low)
        self.assertEqual(found["dealer_sellout_line_next"][0], next_low + 1000)
        self.assertEqual(december.line_ids.id, next_low)
        self.assertEqual(
            self._partition_of("dealer_sellout_line", december.line_ids.ids),
            {("dealer_sellout_line_202612",)},
        )
        # A second roll the same month changes nothing.
        with freeze_time("2026-12-02"):
            self.env["dealer.sellout.line"]._cron_roll_partitions()
        self.assertEqual(partitioning.partitions(cr, "dealer_sellout_line"), found)

        # December outgrows its partition: its lines go on in the spare, which
        # the next roll names after December before making a new spare.
        cr.execute(
            SQL(
                "SELECT setval('dealer_sellout_line_id_seq', %s)",
                next_low + 999,
            )
        )
        spilled = self._report("2026-12-03", 1)
        self.assertEqual(
            self._partition_of("dealer_sellout_line", spilled.line_ids.ids),
            {("dealer_sellout_line_next",)},
        )
        with (
            freeze_time("2026-12-04"),
            self.assertLogs(partitioning.__name__, "WARNING"),
        ):
            self.env["dealer.sellout.line"]._cron_roll_partitions()
        self.assertEqual(
            self._partition_of("dealer_sellout_line", spilled.line_ids.ids),
            {("dealer_sellout_line_202612_2",)},
        )
        self.assertIn(
            "dealer_sellout_line_next",
            partitioning.partitions(cr, "dealer_sellout_line"),
        )

    def test_nothing_to_roll_without_partitions(self):
        self.env["dealer.sellout.line"]._cron_roll_partitions()
        for table in PARTITIONED_TABLES:
            self.assertFalse(partitioning.is_partitioned(self.env.cr, table))
