import io
import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user
from odoo.tools import SQL, mute_logger

from .. import uninstall_hook
from ..models.dealer_sellout_batch import MAX_JOB_TRIES
from ..services import sellout_normaliser
from .common import DealerCommon

LOGGER = "odoo.addons.dealer_portal.models.dealer_sellout_batch"

HEADER = "日期,产品编码,数量,单价,客户编码,客户名称,省份,城市,批号,单据号\n"


def sellout_file(rows, start=1):
    lines = [
        f"2026-10-{(n % 28) + 1:02d},T-TEA,{n % 5 + 1},38,C-A-001,嘉兴测试超市,"
        f"浙江省,嘉兴市,LOT-T1,D{n}"
        for n in range(start, start + rows)
    ]
    return (HEADER + "\n".join(lines) + "\n").encode("gbk")


@freeze_time("2026-11-27")
class TestSelloutIngest(DealerCommon):
    """A file becomes one batch or nothing, once; large ones in the background."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The background worker writes its progress through a cursor of its own.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls._deliver(cls.dealer_a, cls.product_tea, 100000, "LOT-T1")
        cls.Batch = cls.env["dealer.sellout.batch"].with_user(cls.user_a)

    def _counts(self):
        return (
            self.env["dealer.sellout.batch"].search_count([]),
            self.env["dealer.sellout.line"].search_count([]),
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "dealer.sellout.batch")]
            ),
        )

    def test_same_content_under_another_name_gives_the_first_batch(self):
        first = self.Batch._upload(self.dealer_a, "october.csv", sellout_file(3))
        again = self.Batch._upload(
            self.dealer_a, "copy of october.csv", sellout_file(3)
        )
        self.assertEqual(again, first)
        self.assertEqual(first.sudo().line_count, 3)
        other = self.Batch._upload(self.dealer_a, "october.csv", sellout_file(4))
        self.assertNotEqual(other, first)
        first.sudo().action_cancel()
        renewed = self.Batch._upload(self.dealer_a, "october.csv", sellout_file(3))
        self.assertNotIn(renewed, first | other)

    def test_another_dealer_uploading_the_same_file_gets_its_own_batch(self):
        mine = self.Batch._upload(self.dealer_a, "a.csv", sellout_file(2))
        theirs = (
            self.env["dealer.sellout.batch"]
            .with_user(self.user_b)
            ._upload(self.dealer_b, "a.csv", sellout_file(2))
        )
        self.assertNotEqual(mine, theirs)
        self.assertEqual(theirs.sudo().dealer_id, self.dealer_b)

    def test_same_client_reference_gives_the_first_batch(self):
        rows = [
            {
                "date": "2026-10-05",
                "product_code": "T-TEA",
                "quantity": "2",
                "unit_price": "38",
                "customer_code": "C-A-001",
            }
        ]
        first = self.Batch._from_rows(self.dealer_a, "api", rows, client_ref="ERP-1")
        again = self.Batch._from_rows(
            self.dealer_a, "api", rows * 2, client_ref="ERP-1"
        )
        self.assertEqual(again, first)
        self.assertEqual(first.sudo().line_count, 1)

    def test_a_failure_halfway_leaves_nothing(self):
        self.env.company.dealer_sellout_async_size = 100000
        before = self._counts()
        original = sellout_normaliser.normalise
        calls = []

        def fail_halfway(raw):
            calls.append(1)
            if len(calls) == 30001:
                raise RuntimeError("the machine fell over")
            return original(raw)

        with patch.object(sellout_normaliser, "normalise", fail_halfway):
            with self.assertRaises(RuntimeError):
                self.Batch._upload(self.dealer_a, "big.csv", sellout_file(60000))
        # more than one COPY chunk was written before the failure
        self.assertEqual(len(calls), 30001)
        self.assertEqual(self._counts(), before)

    def test_unreadable_file_writes_nothing(self):
        before = self._counts()
        for content in (b"", b"no,header,here\n1,2,3\n", HEADER.encode()):
            with self.subTest(content=content), self.assertRaises(UserError):
                self.Batch._upload(self.dealer_a, "bad.csv", content)
        self.assertEqual(self._counts(), before)

    def test_large_file_is_read_in_the_background(self):
        self.env.company.dealer_sellout_async_size = 1
        content = sellout_file(2000)
        batch = self.Batch._upload(self.dealer_a, "big.csv", content).sudo()
        self.assertEqual((batch.job, batch.job_state), ("import", "queued"))
        self.assertEqual(batch.line_count, 0)
        self.assertEqual(batch.attachment_id.raw, content)

        with patch("odoo.addons.dealer_portal.services.sellout_loader.CHUNK_ROWS", 500):
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        batch.invalidate_recordset()
        self.assertFalse(batch.job_state)
        self.assertEqual(batch.job_progress, 2000)
        self.assertEqual(batch.line_count, 2000)
        self.assertEqual(batch.blocking_count + batch.warning_count, 0)

    def test_a_failing_background_import_keeps_no_line(self):
        self.env.company.dealer_sellout_async_size = 1
        batch = self.Batch._upload(self.dealer_a, "big.csv", sellout_file(50000)).sudo()
        original = sellout_normaliser.normalise
        calls = []

        def fail_halfway(raw):
            calls.append(1)
            if len(calls) == 25000:
                raise RuntimeError("the worker died")
            return original(raw)

        with (
            patch.object(sellout_normaliser, "normalise", fail_halfway),
            mute_logger("odoo.addons.dealer_portal.models.dealer_sellout_batch"),
        ):
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        batch.invalidate_recordset()
        self.assertEqual(batch.job_state, "failed")
        self.assertIn("nothing was written", batch.job_error)
        self.assertEqual(batch.line_count, 0)

    def _queued(self, rows=3):
        self.env.company.dealer_sellout_async_size = 0
        return self.Batch._upload(self.dealer_a, "big.csv", sellout_file(rows)).sudo()

    def test_a_job_whose_worker_died_runs_again(self):
        batch = self._queued()
        # a worker claimed it, then was killed: the job is running, unlocked
        batch.write({"job_state": "running", "job_tries": 1})
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        self.assertIn(
            f"{batch.name} (id {batch.id}): import lost its worker", logs.output[0]
        )
        batch.invalidate_recordset()
        self.assertEqual((batch.job_state, batch.job_tries), (False, 2))
        self.assertEqual(batch.line_count, 3)

    def test_a_job_just_claimed_is_not_taken_for_lost(self):
        batch = self._queued()
        batch.write({"job_state": "running", "job_tries": 1})

        def claimed(ago):
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE dealer_sellout_batch SET job_started = "
                    "now() at time zone 'UTC' - %s::interval WHERE id = %s",
                    ago,
                    batch.id,
                )
            )
            self.env["dealer.sellout.batch"]._requeue_stalled_jobs()
            batch.invalidate_recordset()
            return batch.job_state

        # a moment ago: its worker is about to lock it
        self.assertEqual(claimed("10 seconds"), "running")
        self.assertEqual(claimed("10 minutes"), "queued")

    def test_a_job_interrupted_too_often_fails(self):
        batch = self._queued()
        batch.write({"job_state": "running", "job_tries": MAX_JOB_TRIES})
        with mute_logger(LOGGER):
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        batch.invalidate_recordset()
        self.assertEqual(batch.job_state, "failed")
        self.assertIn(f"interrupted {MAX_JOB_TRIES} times", batch.job_error)
        self.assertEqual(batch.line_count, 0)
        failed = self.env.ref("dealer_portal.dealer_sellout_batch_action_failed_jobs")
        self.assertEqual(failed.context, "{'search_default_job_failed': 1}")
        self.assertIn(
            batch,
            self.env["dealer.sellout.batch"].search([("job_state", "=", "failed")]),
        )

    def test_staff_retry_a_failed_job(self):
        batch = self._queued()
        batch.write(
            {"job_state": "failed", "job_error": "the disk was full", "job_tries": 3}
        )
        clerk = new_test_user(
            self.env, login="job_clerk", groups="dealer_portal.group_channel_user"
        )
        manager = new_test_user(
            self.env, login="job_manager", groups="dealer_portal.group_channel_manager"
        )
        for user in (self.user_a, clerk):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                batch.with_user(user).action_retry_job()
        batch.with_user(manager).action_retry_job()
        self.assertEqual(
            (batch.job, batch.job_state, batch.job_error, batch.job_tries),
            ("import", "queued", False, 0),
        )
        self.assertIn("queued again by", batch.message_ids[0].body)
        with self.assertRaisesText(UserError, "Only failed background work"):
            batch.with_user(manager).action_retry_job()
        self.env["dealer.sellout.batch"]._cron_run_jobs()
        batch.invalidate_recordset()
        self.assertEqual((batch.job_state, batch.line_count), (False, 3))

    def test_logs_tell_what_happened_to_an_upload(self):
        self.env.company.dealer_sellout_async_size = 100000
        # a number: Odoo names its level 25 "INFO" too
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            batch = self.Batch._upload(self.dealer_a, "十月.csv", sellout_file(4))
        [line] = logs.output
        batch = batch.sudo()
        for text in (
            "dealer TA01",
            "'十月.csv'",
            f"({len(sellout_file(4))} bytes)",
            f"batch {batch.name} (id {batch.id})",
            "4 line(s), 0 unreadable",
            "s",
        ):
            self.assertIn(text, line)
        # no personal data: the customer's name is in the file, not in the log
        self.assertNotIn("嘉兴测试超市", line)

        batch = self._queued(5)
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        self.assertEqual(
            [record.getMessage().split(": ", 1)[1] for record in logs.records[:1]],
            ["job claimed, try 1"],
        )
        self.assertIn("import running, try 1", logs.output[1])
        self.assertIn("import done in", logs.output[2])
        self.assertIn("5 line(s)", logs.output[2])

        with self.assertLogs(LOGGER, logging.INFO) as logs:
            with self.assertRaises(UserError):
                self.Batch._upload(self.dealer_a, "empty.csv", b"")
        self.assertIn(
            "'empty.csv' (0 bytes) refused: The file is empty.", logs.output[0]
        )

    def test_a_crashing_job_logs_its_traceback(self):
        batch = self._queued()
        with (
            patch.object(
                sellout_normaliser, "normalise", side_effect=RuntimeError("boom")
            ),
            self.assertLogs(LOGGER, logging.INFO) as logs,
        ):
            self.env["dealer.sellout.batch"]._cron_run_jobs()
        [crash] = [record for record in logs.records if record.levelname == "ERROR"]
        self.assertIn(
            f"{batch.name} (id {batch.id}, dealer TA01): import crashed",
            crash.getMessage(),
        )
        self.assertEqual(crash.exc_info[0], RuntimeError)

    def test_large_submission_is_posted_in_the_background(self):
        batch = self.Batch._upload(self.dealer_a, "m.csv", sellout_file(5)).sudo()
        with patch(
            "odoo.addons.dealer_portal.models.dealer_sellout_batch.SUBMIT_IN_BACKGROUND",
            3,
        ):
            batch.action_submit()
        self.assertEqual(
            (batch.job, batch.job_state, batch.state), ("submit", "queued", "draft")
        )
        self.env["dealer.sellout.batch"]._cron_run_jobs()
        batch.invalidate_recordset()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.posted_count, 5)

    def test_template_round_trips(self):
        import openpyxl

        content = self.env["dealer.sellout.batch"]._template_xlsx(self.dealer_a)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames[0], "流向")
        products = [row[0].value for row in workbook.worksheets[1].iter_rows(min_row=2)]
        self.assertIn("T-TEA", products)
        customers = [
            row[0].value for row in workbook.worksheets[2].iter_rows(min_row=2)
        ]
        self.assertEqual(customers, ["C-A-001"])
        self.assertTrue(workbook.worksheets[0].data_validations.dataValidation)
        sheet = workbook.worksheets[0]
        sheet.append(
            [
                "2026-10-05",
                "T-TEA",
                5,
                38,
                190,
                "C-A-001",
                None,
                None,
                None,
                None,
                "LOT-T1",
            ]
        )
        filled = io.BytesIO()
        workbook.save(filled)
        batch = self.Batch._upload(
            self.dealer_a, "template.xlsx", filled.getvalue()
        ).sudo()
        self.assertEqual(batch.line_count, 1)
        self.assertEqual(batch.line_ids.product_id, self.product_tea)
        self.assertFalse(batch.issue_ids)

    def test_form_rows(self):
        rows = self.env["dealer.sellout.batch"]._rows_from_form(
            self.dealer_a,
            {
                "row-0-date": "2026-10-05",
                "row-0-product_code": "T-TEA",
                "row-0-quantity": "5",
                "row-0-customer": "C-A-001",
                "row-1-date": "",
                "row-1-product_code": "",
                "row-2-date": "2026-10-06",
                "row-2-product_code": "T-TEA",
                "row-2-quantity": "1",
                "row-2-customer": "新的客户",
                "row-2-province": "浙江省",
                "csrf_token": "x",
            },
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["customer_code"], "C-A-001")
        self.assertEqual(rows[1]["customer_name"], "新的客户")
        batch = self.Batch._from_rows(self.dealer_a, "form", rows).sudo()
        new = batch.line_ids.filtered(lambda line: not line.customer_id)
        self.assertEqual(new.territory_id, self.zhejiang)
        batch.action_submit()
        self.assertEqual(new.customer_id.name, "新的客户")
        self.assertEqual(new.customer_id.dealer_id, self.dealer_a)

    def test_a_new_customer_in_two_batches_is_registered_once(self):
        first, second = (
            self.Batch._upload(
                self.dealer_a,
                f"{n}.csv",
                (
                    HEADER
                    + f"2026-10-0{n},T-TEA,1,38,C-NEW,新客户,浙江省,嘉兴市,,N{n}\n"
                ).encode(),
            ).sudo()
            for n in (1, 2)
        )
        first.action_submit()
        # the second batch was read before the customer was registered
        second.action_submit()
        self.assertEqual(second.state, "done")
        customer = first.line_ids.customer_id
        self.assertEqual(customer.code, "C-NEW")
        self.assertEqual(second.line_ids.customer_id, customer)

    def test_dealer_corrects_a_line(self):
        content = (HEADER + "2026-13-40,T-TEA,five,38,C-A-001,,,,LOT-T1,D1\n").encode()
        batch = self.Batch._upload(self.dealer_a, "typo.csv", content).sudo()
        line = batch.line_ids
        self.assertIn("日期", line.error_message)
        self.assertEqual(line._form_values()["date"], "2026-13-40")
        line._correct({**line._form_values(), "date": "2026-10-13", "quantity": "5"})
        self.assertFalse(line.error_message)
        self.assertEqual(line.quantity, 5)
        batch.action_submit()
        self.assertEqual(batch.state, "done")

    def test_texts_with_tabs_quotes_and_backslashes_are_kept(self):
        content = (
            HEADER
            + '2026-10-13,T-TEA,1,38,C-A-001,"甲\t乙 ""A\\B""",,,LOT-T1,"D\\1"\n'
            + '2026-10-13,T-TEA,2,38,C-A-001,,,,LOT-T1,"D\n2"\n'
        ).encode()
        batch = self.Batch._upload(self.dealer_a, "odd.csv", content).sudo()
        first, second = batch.line_ids.sorted("row_number")
        self.assertEqual(first.customer_name, '甲\t乙 "A\\B"')
        self.assertEqual(first.doc_ref, "D\\1")
        self.assertEqual(second.doc_ref, "D\n2")
        self.assertFalse(second.customer_name)  # an empty cell is NULL
        self.assertEqual(
            self.env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM dealer_sellout_line "
                    "WHERE batch_id = %s AND customer_name = ''",
                    batch.id,
                )
            ),
            [(0,)],
        )

    def test_an_uploaded_file_is_kept_unindexed(self):
        batch = self.Batch._upload(self.dealer_a, "october.csv", sellout_file(3))
        attachment = batch.sudo().attachment_id
        self.assertEqual(attachment.mimetype, "text/csv")
        self.assertFalse(attachment.index_content)
        self.assertEqual(attachment.raw, sellout_file(3))

    def test_deleting_a_batch_deletes_its_lines_unless_submitted(self):
        draft = self.Batch._upload(self.dealer_a, "draft.csv", sellout_file(2)).sudo()
        line_ids = draft.line_ids.ids
        draft.unlink()
        self.assertFalse(self.env["dealer.sellout.line"].browse(line_ids).exists())
        done = self.Batch._upload(self.dealer_a, "done.csv", sellout_file(2, 5)).sudo()
        done.action_submit()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            done.unlink()
        self.assertEqual(len(done.line_ids), 2)

    def test_uninstall_drops_the_lock_table(self):
        self.env["dealer.sellout.batch"]._lock(1, "test")
        uninstall_hook(self.env)
        self.assertEqual(
            self.env.execute_query(SQL("SELECT to_regclass('dealer_sellout_lock')")),
            [(None,)],
        )
