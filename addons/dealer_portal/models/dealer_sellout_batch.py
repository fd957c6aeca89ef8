import hashlib
import json
import logging
import time
from contextlib import contextmanager

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..services import sellout_parser, sellout_template
from ..services.sellout_loader import SelloutLoader
from ..services.sellout_rules import RULES

_logger = logging.getLogger(__name__)

# Keys of the locks this model takes (rows of dealer_sellout_lock).
LOCK_LEDGER = 71001  # with the dealer id: one posting at a time per dealer
LOCK_UPLOAD = 71002  # with a hash of dealer and content: one upload of a file
# Key of the advisory lock a worker holds on the batch whose job it runs: a
# running job whose lock is free lost its worker.
LOCK_JOB = 71003
# A job whose worker died this many times is failed, not queued again.
MAX_JOB_TRIES = 3
# A running job is taken for lost only this long after it was claimed: its
# worker locks it a moment after the claim is committed.
JOB_LOCK_GRACE = "2 minutes"
# The batch's figures computed from its lines and issues, forgotten whenever
# those are written with SQL.
COUNT_FIELDS = [
    "line_count",
    "unreadable_count",
    "posted_count",
    "review_count",
    "blocking_count",
    "warning_count",
    "amount_total",
    "date_from",
    "date_to",
]
# Above this many lines a submission is posted in the background.
SUBMIT_IN_BACKGROUND = 20000
# After loading or posting this many lines, refresh the tables' statistics.
ANALYZE_AFTER = 5000

CUSTOMER_TYPE_ALIASES = {
    "terminal": "terminal",
    "终端": "terminal",
    "零售终端": "terminal",
    "门店": "terminal",
    "sub_distributor": "sub_distributor",
    "二级分销商": "sub_distributor",
    "分销商": "sub_distributor",
    "二批": "sub_distributor",
    "key_account": "key_account",
    "大客户": "key_account",
    "ka": "key_account",
}


class DealerSelloutBatch(models.Model):
    """One sell-out report of a dealer: from the portal form, a file, the API
    or staff entry.

    ``draft`` (read and checked, shown to the dealer with every issue) →
    ``submitted`` (the lines without blocking issues are posted to the ledger,
    the others wait for review) → ``done`` when every line is posted or
    rejected. Reading a large file and posting many lines run in the
    background (``job``), on Odoo's scheduler.
    """

    _name = "dealer.sellout.batch"
    _description = "Sell-out Batch"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        required=True, copy=False, readonly=True, default=lambda self: _("New")
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_dealer", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    source = fields.Selection(
        [
            ("form", "Portal Form"),
            ("file", "File Upload"),
            ("api", "API"),
            ("backend", "Staff Entry"),
        ],
        required=True,
        default="backend",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        readonly=True,
    )
    job = fields.Selection(
        [("import", "Reading the file"), ("submit", "Posting the lines")],
        readonly=True,
        help="Work waiting for or running in the background.",
    )
    job_state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("failed", "Failed")],
        index="btree_not_null",
        readonly=True,
    )
    job_progress = fields.Integer(string="Rows Done", readonly=True)
    job_error = fields.Text(readonly=True)
    job_tries = fields.Integer(
        string="Job Attempts",
        readonly=True,
        copy=False,
        help="How many times a worker started the background work.",
    )
    job_started = fields.Datetime(readonly=True, copy=False)
    file_name = fields.Char(readonly=True)
    file_hash = fields.Char(index="btree_not_null", copy=False, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    client_ref = fields.Char(
        string="Client Reference",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The reference the dealer's own system gave this report (API).",
    )
    line_ids = fields.One2many("dealer.sellout.line", "batch_id", string="Lines")
    issue_ids = fields.One2many("dealer.sellout.issue", "batch_id", string="Issues")
    checked_ledger = fields.Char(
        readonly=True,
        copy=False,
        help="The state of the dealer's ledger when the lines were last checked.",
    )
    submitted_date = fields.Datetime(readonly=True)
    submitted_uid = fields.Many2one("res.users", string="Submitted By", readonly=True)
    line_count = fields.Integer(compute="_compute_counts")
    unreadable_count = fields.Integer(compute="_compute_counts")
    posted_count = fields.Integer(compute="_compute_counts")
    review_count = fields.Integer(compute="_compute_counts")
    blocking_count = fields.Integer(compute="_compute_counts")
    warning_count = fields.Integer(compute="_compute_counts")
    amount_total = fields.Monetary(compute="_compute_counts")
    date_from = fields.Date(compute="_compute_counts")
    date_to = fields.Date(compute="_compute_counts")

    def init(self):
        # The locks of _lock(): one row per key, bumped by each holder.
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS dealer_sellout_lock (
                    key integer NOT NULL,
                    value integer NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    PRIMARY KEY (key, value)
                )
                """
            )
        )

    def _compute_counts(self):
        Line = self.env["dealer.sellout.line"]
        lines = {
            batch: (count, amount, first, last)
            for batch, count, amount, first, last in Line._read_group(
                [("batch_id", "in", self.ids)],
                ["batch_id"],
                ["__count", "amount:sum", "date:min", "date:max"],
            )
        }
        by_state = {
            (batch, state): count
            for batch, state, count in Line._read_group(
                [("batch_id", "in", self.ids)], ["batch_id", "state"], ["__count"]
            )
        }
        unreadable = dict(
            Line._read_group(
                [("batch_id", "in", self.ids), ("error_message", "!=", False)],
                ["batch_id"],
                ["__count"],
            )
        )
        issues = {
            (batch, severity): count
            for batch, severity, count in self.env["dealer.sellout.issue"]._read_group(
                [("batch_id", "in", self.ids), ("state", "=", "open")],
                ["batch_id", "severity"],
                ["__count"],
            )
        }
        for batch in self:
            count, amount, first, last = lines.get(batch, (0, 0.0, False, False))
            batch.line_count = count
            batch.amount_total = amount
            batch.date_from = first
            batch.date_to = last
            batch.unreadable_count = unreadable.get(batch, 0)
            batch.posted_count = by_state.get((batch, "posted"), 0)
            batch.review_count = by_state.get((batch, "review"), 0)
            batch.blocking_count = issues.get((batch, "blocking"), 0)
            batch.warning_count = issues.get((batch, "warning"), 0)

    @api.model_create_multi
    def create(self, vals_list):
        # Dealers create batches from the portal without access to sequences.
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = sequences.with_company(
                    vals.get("company_id") or self.env.company.id
                ).next_by_code("dealer.sellout.batch") or _("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unsubmitted(self):
        Line = self.env["dealer.sellout.line"].sudo()
        if Line.search_count(
            [("batch_id", "in", self.ids), ("state", "!=", "draft")], limit=1
        ):
            raise UserError(
                _(
                    "A submitted sell-out batch cannot be deleted: its lines are in "
                    "the dealer's ledger and reports."
                )
            )

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        # The lines have no foreign key to the batch that would delete them too.
        self.env.cr.execute(
            SQL("DELETE FROM dealer_sellout_line WHERE batch_id = ANY(%s)", ids)
        )
        self.env["dealer.sellout.line"].invalidate_model()
        return result

    # ------------------------------------------------------------------
    # Actions

    def action_submit(self):
        """Post the lines that may be posted; the others wait for review."""
        self.ensure_one()
        if self.state != "draft" or self.job_state in ("queued", "running"):
            raise UserError(
                _("Only a draft batch that is fully read can be submitted.")
            )
        self._check_submittable()
        if self.line_count > SUBMIT_IN_BACKGROUND:
            self._queue_job("submit")
        else:
            self._submit()
        return True

    def action_cancel(self):
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    _(
                        "%(batch)s is already submitted: it cannot be cancelled.",
                        batch=batch.name,
                    )
                )
        # Draft lines only, possibly a million of them: dropped in one statement,
        # their issues with them (cascade).
        self.env.flush_all()
        self.env.cr.execute(
            SQL("DELETE FROM dealer_sellout_line WHERE batch_id = ANY(%s)", self.ids)
        )
        self.env["dealer.sellout.line"].invalidate_model()
        self.env["dealer.sellout.issue"].invalidate_model()
        self.invalidate_model(COUNT_FIELDS)
        self.write({"state": "cancelled", "job": False, "job_state": False})
        return True

    def action_retry_job(self):
        """Queue the failed background work of these batches again."""
        if not (
            self.env.is_admin()
            or self.env.user.has_group("dealer_portal.group_channel_manager")
        ):
            raise AccessError(
                _("Only channel managers and administrators can retry background work.")
            )
        if any(batch.job_state != "failed" or not batch.job for batch in self):
            raise UserError(_("Only failed background work can be run again."))
        for batch in self:
            _logger.info(
                "Sell-out batch %s (id %s, dealer %s): %s retried by user %s",
                batch.name,
                batch.id,
                batch.dealer_id.dealer_code,
                batch.job,
                self.env.uid,
            )
            batch._queue_job(batch.job)
            batch.message_post(
                body=_(
                    "Background work queued again by %(user)s.",
                    user=self.env.user.name,
                )
            )
        return True

    def action_check(self):
        """Check the lines again, e.g. after staff entered or changed lines."""
        drafts = self.filtered(lambda batch: batch.state == "draft")
        for batch in drafts:
            batch._reread_lines()
        drafts._check_lines()
        return True

    # ------------------------------------------------------------------
    # Intake: a file, rows from a form or the API

    @api.model
    def _upload(self, dealer, file_name, content):
        """Turn an uploaded file into one batch of ``dealer``, or nothing.

        The same content uploaded again by the same dealer, under any name,
        gives back the first batch. A large file is read in the background.

        :raise UserError: the file cannot be read at all (nothing is created)
        """
        started = time.monotonic()
        limit = self._max_upload_bytes(dealer)
        if len(content) > limit:
            _logger.info(
                "Sell-out upload of dealer %s, file %r (%s bytes) refused: over %s",
                dealer.dealer_code,
                file_name,
                len(content),
                limit,
            )
            raise UserError(self._too_large_message(dealer))
        try:
            sellout_parser.precheck(content)
        except sellout_parser.SelloutFileError as err:
            _logger.info(
                "Sell-out upload of dealer %s, file %r (%s bytes) refused: %s",
                dealer.dealer_code,
                file_name,
                len(content),
                err.args[0],
            )
            raise UserError(self.env._(err.args[0])) from err
        digest = hashlib.sha256(content).hexdigest()
        self._lock(LOCK_UPLOAD, f"{dealer.id}:{digest}")
        existing = self.search(
            [
                ("dealer_id", "=", dealer.id),
                ("file_hash", "=", digest),
                ("state", "!=", "cancelled"),
            ],
            limit=1,
        )
        if existing:
            _logger.info(
                "Sell-out upload of dealer %s, file %r (%s bytes): the same as "
                "batch %s (id %s)",
                dealer.dealer_code,
                file_name,
                len(content),
                existing.name,
                existing.id,
            )
            return existing
        batch = self.create(
            {
                "dealer_id": dealer.id,
                "company_id": (dealer.company_id or self.env.company).id,
                "source": "file",
                "file_name": file_name,
                "file_hash": digest,
            }
        )
        # A dealer may neither attach files to nor write its batches: the file is
        # kept for it, on the batch it has just created.
        batch_sudo = batch.sudo()
        batch_sudo.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .with_context(dealer_sellout_file=True)
            .create(
                {
                    "name": file_name,
                    "raw": content,
                    "res_model": self._name,
                    "res_id": batch.id,
                }
            )
        )
        if len(content) > batch.company_id.dealer_sellout_async_size * 1024:
            batch_sudo._queue_job("import")
        else:
            batch._read_file(content)
        _logger.info(
            "Sell-out upload of dealer %s, file %r (%s bytes): batch %s (id %s), "
            "%s, in %.2fs",
            dealer.dealer_code,
            file_name,
            len(content),
            batch.name,
            batch.id,
            "queued" if batch_sudo.job_state else batch_sudo._log_counts(),
            time.monotonic() - started,
        )
        return batch

    @api.model
    def _max_upload_bytes(self, dealer):
        """The largest file or API call ``dealer`` may send, in bytes."""
        # A dealer reads its company's limit, not the company's settings.
        company = dealer.sudo().company_id or self.env.company.sudo()
        return max(company.dealer_sellout_max_upload_mb, 1) * 1024 * 1024

    @api.model
    def _too_large_message(self, dealer):
        return _(
            "The file is larger than %(size)s MB: split it into smaller files.",
            size=self._max_upload_bytes(dealer) // (1024 * 1024),
        )

    @api.model
    def _from_rows(self, dealer, source, rows, client_ref=None):
        """Turn rows of raw values (portal form, API) into one batch, or nothing.

        :param rows: list of dicts field → raw value, fields as in the file format
        :param client_ref: the caller's reference; the same one again gives
            back the first batch
        """
        if client_ref:
            self._lock(LOCK_UPLOAD, f"{dealer.id}:ref:{client_ref}")
            existing = self.search(
                [("dealer_id", "=", dealer.id), ("client_ref", "=", client_ref)],
                limit=1,
            )
            if existing:
                return existing
        if not rows:
            raise UserError(_("There is no line to report."))
        batch = self.create(
            {
                "dealer_id": dealer.id,
                "company_id": (dealer.company_id or self.env.company).id,
                "source": source,
                "client_ref": client_ref,
            }
        )
        started = time.monotonic()
        loader = batch._loader()
        loader.load(enumerate(rows, start=1))
        batch._after_load(loader.loaded)
        _logger.info(
            "Sell-out %s of dealer %s: batch %s (id %s), %s, in %.2fs",
            source,
            dealer.dealer_code,
            batch.name,
            batch.id,
            batch.sudo()._log_counts(),
            time.monotonic() - started,
        )
        return batch

    @api.model
    def _rows_from_form(self, dealer, form):
        """The rows of the portal's entry form, as the file format names them.

        :param form: the posted fields, ``row-<n>-<field>``; a row left empty is
            skipped; a customer is a code of the dealer's registry or a new name
        """
        numbers = sorted(
            {
                int(key.split("-")[1])
                for key in form
                if key.startswith("row-") and key.split("-")[1].isdigit()
            }
        )
        known = set(
            self.env["dealer.customer"]
            .search([("dealer_id", "=", dealer.id), ("code", "!=", False)])
            .mapped("code")
        )
        rows = []
        for number in numbers:
            row = {
                name: (form.get(f"row-{number}-{name}") or "").strip()
                for name in (
                    "date",
                    "product_code",
                    "quantity",
                    "unit_price",
                    "customer",
                )
                + ("province", "city", "lot", "doc_ref")
            }
            if not any(value for name, value in row.items() if name != "date"):
                continue  # the date alone comes filled in
            customer = row.pop("customer")
            if customer in known:
                row["customer_code"] = customer
            else:
                row["customer_name"] = customer
            rows.append(row)
        return rows

    @api.model
    def _template_xlsx(self, dealer):
        """The dealer's XLSX template, with its products and customers listed."""
        products = dealer._dealer_authorised_products()
        customers = self.env["dealer.customer"].search([("dealer_id", "=", dealer.id)])
        types = dict(
            customers._fields["customer_type"]._description_selection(self.env)
        )
        labels = {
            "products": _("Products"),
            "customers": _("Customers"),
            "product_columns": [_("Code"), _("Name"), _("Barcode")],
            "customer_columns": [
                _("Code"),
                _("Name"),
                _("Type"),
                _("Province"),
                _("City"),
            ],
            "date_error": _("Enter a date, such as 2026-10-05."),
            "quantity_error": _(
                "Enter a number; a return from the customer is negative."
            ),
            "product_error": _("This is not one of your product codes."),
            "customer_error": _(
                "A new customer: give its name, province and city too."
            ),
            "help": _(
                "One row per sale: date, product code, quantity and unit price, and "
                "the customer's code or name. A return is a negative quantity. Codes "
                "and customers are listed on the other sheets."
            ),
        }
        return sellout_template.build_template(
            [(p.default_code or "", p.name, p.barcode or "") for p in products],
            [
                (
                    c.code or "",
                    c.name,
                    types[c.customer_type],
                    c.state_id.name or "",
                    c.city or "",
                )
                for c in customers
            ],
            labels,
        )

    def _api_result(self):
        """The batch as the API answers: its totals, and each line with a problem."""
        self.ensure_one()
        lines = self.env["dealer.sellout.line"].search(
            [
                ("batch_id", "=", self.id),
                "|",
                ("error_message", "!=", False),
                ("issue_ids", "!=", False),
            ]
        )
        return {
            "batch": {
                "id": self.id,
                "name": self.name,
                "state": self.state,
                "client_ref": self.client_ref or None,
                "url": f"/my/dealer/sellout/{self.id}",
                "lines": self.line_count,
                "unreadable": self.unreadable_count,
                "blocking": self.blocking_count,
                "warnings": self.warning_count,
                "posted": self.posted_count,
                "in_review": self.review_count,
            },
            "lines": [
                {
                    "row": line.row_number,
                    "state": line.state,
                    "errors": [
                        dict(
                            zip(
                                ("column", "message"),
                                error.split(": ", 1),
                                strict=False,
                            )
                        )
                        for error in (line.error_message or "").splitlines()
                    ],
                    "issues": [
                        {
                            "rule": issue.rule,
                            "severity": issue.severity,
                            "state": issue.state,
                            "message": issue.message,
                        }
                        for issue in line.issue_ids
                    ],
                }
                for line in lines
            ],
        }

    def _loader(self, headers=None):
        self.ensure_one()
        labels = {name: headers[0] for name, headers in sellout_parser.HEADERS.items()}
        return SelloutLoader(self.env, self, {**labels, **(headers or {})})

    def _read_file(self, content, progress=None):
        self.ensure_one()
        try:
            parsed = sellout_parser.parse(content)
            loader = self._loader(parsed.headers)
            # the rows are read as they are loaded: a row may still be unreadable
            loader.load(parsed.rows, progress)
        except sellout_parser.SelloutFileError as err:
            _logger.info(
                "Sell-out batch %s (id %s, dealer %s), file %r (%s bytes) refused: %s",
                self.name,
                self.id,
                self.dealer_id.dealer_code,
                self.file_name,
                len(content or b""),
                err.args[0],
            )
            raise UserError(self.env._(err.args[0])) from err
        self._after_load(loader.loaded)

    def _after_load(self, loaded):
        self.ensure_one()
        if loaded >= ANALYZE_AFTER:
            # The checks join these lines with the ledger: without statistics
            # that count them, PostgreSQL plans for a handful of rows.
            self.env.cr.execute(SQL("ANALYZE dealer_sellout_line"))
        Line = self.env["dealer.sellout.line"]
        Line.invalidate_model()
        self.invalidate_model(COUNT_FIELDS)
        self.invalidate_recordset()
        if not Line.search_count([("batch_id", "=", self.id)], limit=1):
            raise UserError(_("The file holds no sell-out line under its header."))
        self._check_lines()

    def _reread_lines(self):
        """Match the lines again (staff entry or changed master data)."""
        loader = self._loader()
        for line in self.line_ids.filtered(lambda line: line.state == "draft"):
            line.write(loader.line_values(line._form_values()))

    # ------------------------------------------------------------------
    # Checks

    def _check_lines(self):
        """Run every active rule on the draft lines and store their issues."""
        Issue = self.env["dealer.sellout.issue"]
        self._tune_for_bulk()
        for batch in self:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    DELETE FROM dealer_sellout_issue
                     WHERE batch_id = %(batch)s AND line_id IN (
                           SELECT id FROM dealer_sellout_line
                            WHERE batch_id = %(batch)s AND state = 'draft')
                    """,
                    batch=batch.id,
                )
            )
            scope = SQL(
                "l.batch_id = %s AND l.state = 'draft' AND l.error_message IS NULL",
                batch.id,
            )
            # The company's rule settings apply to dealers, who cannot read them.
            rules = self.env["dealer.sellout.rule"].sudo()
            severities = rules._severities(batch.company_id)
            disclose = batch.company_id.dealer_sellout_disclose_evidence
            found = {}
            for code, severity in severities.items():
                for finding in RULES[code].find(self.env, scope):
                    staff = self.env._(finding.staff_message or finding.message)
                    public = staff if disclose else self.env._(finding.message)
                    found.setdefault(
                        (finding.line_id, code),
                        (severity, public, staff, finding.evidence),
                    )
            batch._insert_issues(found)
            # Bookkeeping of the checks, which a dealer runs by uploading.
            batch.sudo().checked_ledger = batch._ledger_state()
        Issue.invalidate_model()
        self.env["dealer.sellout.line"].invalidate_model(["issue_ids"])
        self.invalidate_model(COUNT_FIELDS)

    def _insert_issues(self, found):
        """Store the issues found, each with the date, place and region of its
        line, for the reviewers' workbench."""
        if not found:
            return
        keys = list(found)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO dealer_sellout_issue
                       (line_id, batch_id, dealer_id, company_id, rule, severity,
                        message, staff_message, evidence, state, date, quantity,
                        territory_id, region_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT found.line_id, %(batch)s, %(dealer)s, %(company)s, found.rule,
                       found.severity, found.message, found.staff_message,
                       found.evidence::jsonb, 'open', line.date, line.quantity,
                       line.territory_id, region.id,
                       %(uid)s, now() at time zone 'UTC', %(uid)s,
                       now() at time zone 'UTC'
                  FROM unnest(%(lines)s::int[], %(rules)s::varchar[],
                              %(severities)s::varchar[], %(messages)s::text[],
                              %(staff)s::text[], %(evidences)s::text[])
                       AS found(line_id, rule, severity, message, staff_message,
                                evidence)
                  JOIN dealer_sellout_line line ON line.id = found.line_id
                  LEFT JOIN dealer_territory place ON place.id = line.territory_id
                  LEFT JOIN LATERAL (
                       SELECT area.id FROM dealer_territory area
                        WHERE area.level = 'region'
                          AND starts_with(place.parent_path, area.parent_path)
                        LIMIT 1
                  ) region ON TRUE
                """,
                batch=self.id,
                dealer=self.dealer_id.id,
                company=self.company_id.id,
                uid=self.env.uid,
                lines=[line_id for line_id, _code in keys],
                rules=[code for _line_id, code in keys],
                severities=[found[key][0] for key in keys],
                messages=[found[key][1] for key in keys],
                staff=[found[key][2] for key in keys],
                evidences=[
                    json.dumps(found[key][3], ensure_ascii=False) for key in keys
                ],
            )
        )

    def _check_submittable(self):
        """Lines that cannot be read or name no product of ours must be mended."""
        self.ensure_one()
        rows = self.env["dealer.sellout.line"].search_fetch(
            [
                ("batch_id", "=", self.id),
                ("state", "=", "draft"),
                "|",
                ("error_message", "!=", False),
                ("product_id", "=", False),
            ],
            ["row_number"],
            limit=20,
        )
        if rows:
            raise UserError(
                _(
                    "Correct or drop these rows before submitting: %(rows)s.",
                    rows=", ".join(str(row) for row in rows.mapped("row_number")),
                )
            )

    # ------------------------------------------------------------------
    # Posting

    def _submit(self):
        self.ensure_one()
        started = time.monotonic()
        self._lock_ledger()
        if self.checked_ledger != self._ledger_state(holding=True):
            # Stock or earlier reports changed since the dealer's preview.
            self._check_lines()
        self._check_submittable()
        self._register_new_customers()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE dealer_sellout_line l SET state = 'review'
                 WHERE l.batch_id = %s AND l.state = 'draft' AND EXISTS (
                        SELECT 1 FROM dealer_sellout_issue issue
                         WHERE issue.line_id = l.id AND issue.state = 'open'
                           AND issue.severity = 'blocking')
                """,
                self.id,
            )
        )
        in_review = self.env.cr.rowcount
        self._post(SQL("l.batch_id = %s AND l.state = 'draft'", self.id))
        _logger.info(
            "Sell-out batch %s (id %s, dealer %s) submitted by user %s: %s line(s) "
            "posted, %s in review, in %.2fs",
            self.name,
            self.id,
            self.dealer_id.dealer_code,
            self.env.uid,
            self.posted_count,
            in_review,
            time.monotonic() - started,
        )
        self.write(
            {
                "state": "submitted" if in_review else "done",
                "submitted_date": fields.Datetime.now(),
                "submitted_uid": self.env.uid,
                "job": False,
                "job_state": False,
            }
        )
        self.message_post(
            body=_(
                "Submitted: %(posted)s line(s) posted, %(review)s waiting for review.",
                posted=self.posted_count,
                review=in_review,
            )
        )
        if in_review:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_(
                    "Review the sell-out of %(dealer)s", dealer=self.dealer_id.name
                ),
                note=_(
                    "%(count)s line(s) of %(batch)s have blocking issues to decide on.",
                    count=in_review,
                    batch=self.name,
                ),
                user_id=self._reviewer().id,
            )

    def _post(self, where):
        """Post the lines matching ``where`` (SQL on alias ``l``) to the ledger.

        One statement: the lines are marked posted, their ledger lines written
        and the daily stock summary brought up to date; then the ledger's
        ``_after_moves_added`` hook sees the new ledger lines.
        """
        self._tune_for_bulk()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH posted AS (
                    UPDATE dealer_sellout_line l
                       SET state = 'posted',
                           transfer_dealer_id = CASE WHEN l.kind = 'transfer_out' THEN (
                               SELECT partner_id FROM dealer_customer
                                WHERE id = l.customer_id) END,
                           transfer_state = CASE WHEN l.kind = 'transfer_out'
                                                 THEN 'pending' END
                     WHERE %(where)s
                 RETURNING l.id, l.batch_id, l.dealer_id, l.company_id, l.date, l.kind,
                           l.product_id, l.lot_id, l.quantity, l.customer_id,
                           l.transfer_dealer_id, l.doc_ref
                ), moved AS (
                    INSERT INTO dealer_stock_move
                           (dealer_id, company_id, date, kind, product_id, lot_id,
                            quantity, customer_id, counterpart_dealer_id,
                            sellout_line_id, reference)
                    SELECT l.dealer_id, l.company_id, l.date, l.kind, l.product_id,
                           l.lot_id, -l.quantity, l.customer_id, l.transfer_dealer_id,
                           l.id, COALESCE(l.doc_ref, batch.name)
                      FROM posted l
                      JOIN dealer_sellout_batch batch ON batch.id = l.batch_id
                    RETURNING id, dealer_id, company_id, product_id, lot_id, date,
                              quantity
                ), days AS (
                    %(add_to_days)s
                )
                SELECT id FROM moved
                """,
                where=where,
                add_to_days=self.env["dealer.stock.daily"]._add_moves_sql(SQL("moved")),
            )
        )
        move_ids = [move_id for (move_id,) in self.env.cr.fetchall()]
        if len(move_ids) >= ANALYZE_AFTER:
            # The checks of the next batch join the ledger: planned on
            # statistics that do not count these lines, a check of a few
            # lines may read the whole ledger once per lot.
            self.env.cr.execute(SQL("ANALYZE dealer_stock_move, dealer_stock_daily"))
        self.env["dealer.sellout.line"].invalidate_model()
        self.env["dealer.stock.move"].invalidate_model()
        self.env["dealer.stock.daily"].invalidate_model()
        self.invalidate_model(COUNT_FIELDS)
        if move_ids:
            self.env["dealer.stock.move"].browse(move_ids)._after_moves_added()

    def _register_new_customers(self):
        """Add the batch's customers not yet in the registry, placed by their
        province and city, and link their lines to them."""
        self.ensure_one()
        self.env.flush_all()
        # Customers registered since the lines were read, by another batch of
        # the dealer: link them, not register them twice.
        self.env.cr.execute(
            SQL(
                """
                UPDATE dealer_sellout_line l SET customer_id = customer.id,
                       territory_id = COALESCE(customer.territory_id, l.territory_id)
                  FROM dealer_customer customer
                 WHERE l.batch_id = %(batch)s AND l.state = 'draft'
                   AND l.customer_id IS NULL AND customer.dealer_id = l.dealer_id
                   AND CASE WHEN NULLIF(l.customer_code, '') IS NOT NULL
                            THEN UPPER(customer.code) = UPPER(l.customer_code)
                            ELSE customer.active AND customer.code IS NULL
                             AND customer.name = l.customer_name END
                """,
                batch=self.id,
            )
        )
        key = SQL("COALESCE(NULLIF(UPPER(l.customer_code), ''), l.customer_name)")
        new = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (%(key)s) %(key)s, l.customer_code, l.customer_name,
                       l.customer_type, l.state_id, l.city
                  FROM dealer_sellout_line l
                 WHERE l.batch_id = %(batch)s AND l.state = 'draft'
                   AND l.customer_id IS NULL
                 ORDER BY %(key)s, l.row_number
                """,
                key=key,
                batch=self.id,
            )
        )
        if not new:
            return
        customers = self.env["dealer.customer"].create(
            [
                {
                    "dealer_id": self.dealer_id.id,
                    "company_id": self.company_id.id,
                    "code": code or False,
                    "name": name or code,
                    "customer_type": CUSTOMER_TYPE_ALIASES.get(
                        (customer_type or "").strip().lower(), "terminal"
                    ),
                    "state_id": state_id,
                    "city": city,
                }
                for _key, code, name, customer_type, state_id, city in new
            ]
        )
        customers.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE dealer_sellout_line l SET customer_id = new.id,
                       territory_id = COALESCE(customer.territory_id, l.territory_id)
                  FROM unnest(%(keys)s::varchar[], %(ids)s::int[]) AS new(key, id)
                  JOIN dealer_customer customer ON customer.id = new.id
                 WHERE l.batch_id = %(batch)s AND l.state = 'draft'
                   AND l.customer_id IS NULL AND %(key)s = new.key
                """,
                keys=[row[0] for row in new],
                ids=customers.ids,
                batch=self.id,
                key=key,
            )
        )
        self.env["dealer.sellout.line"].invalidate_model()

    # ------------------------------------------------------------------
    # Background jobs

    def _queue_job(self, job):
        self.write(
            {
                "job": job,
                "job_state": "queued",
                "job_progress": 0,
                "job_error": False,
                "job_tries": 0,
            }
        )
        for batch in self:
            _logger.info(
                "Sell-out batch %s (id %s, dealer %s): %s queued",
                batch.name,
                batch.id,
                batch.dealer_id.dealer_code,
                job,
            )
        self.env.ref("dealer_portal.ir_cron_sellout_jobs")._trigger()

    @api.model
    def _cron_run_jobs(self):
        """Run the next queued job, then let the scheduler call again for the rest."""
        self.env.flush_all()
        self._requeue_stalled_jobs()
        batch = self._claim_next_job()
        if batch:
            batch._run_job()
        remaining = self.search_count([("job_state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(
            done=1 if batch else 0, remaining=remaining
        )

    @contextmanager
    def _job_cursor(self):
        """An environment on a transaction of its own, in READ COMMITTED.

        A job is claimed, and its progress written, in short transactions of
        their own that the dealer sees at once; the job's transaction then
        writes the same batch, and reads the ledger after waiting for its lock.
        Under Odoo's REPEATABLE READ both would fail on rows committed after it
        began; READ COMMITTED reads them. (In test mode, the cursor is part of
        the test's transaction, begun already.)
        """
        with self.env.registry.cursor() as cr:
            if not self.env.registry.in_test_mode():
                cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
            yield self.env(cr=cr)

    def _claim_next_job(self):
        """Mark the oldest queued job running, in a transaction of its own,
        so that the dealer sees it running and no other worker takes it."""
        with self._job_cursor() as env:
            rows = env.execute_query(
                SQL(
                    """
                    UPDATE dealer_sellout_batch
                       SET job_state = 'running',
                           job_tries = COALESCE(job_tries, 0) + 1,
                           job_started = now() at time zone 'UTC'
                     WHERE id = (SELECT id FROM dealer_sellout_batch
                                  WHERE job_state = 'queued'
                                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id, job_tries
                    """
                )
            )
        if not rows:
            return self.browse()
        [(batch_id, tries)] = rows
        _logger.info("Sell-out batch id %s: job claimed, try %s", batch_id, tries)
        return self.browse(batch_id)

    def _requeue_stalled_jobs(self):
        """Queue again the running jobs whose worker died (their lock is free);
        fail those that were interrupted ``MAX_JOB_TRIES`` times."""
        with self._job_cursor() as env:
            rows = env.execute_query(
                SQL(
                    """
                    WITH running AS MATERIALIZED (
                        SELECT id FROM dealer_sellout_batch
                         WHERE job_state = 'running'
                    )
                    UPDATE dealer_sellout_batch batch
                       SET job_state = CASE WHEN batch.job_tries >= %(max)s
                                            THEN 'failed' ELSE 'queued' END,
                           job_error = CASE WHEN batch.job_tries >= %(max)s
                                            THEN %(error)s END
                      FROM running
                     WHERE batch.id = running.id AND batch.job_state = 'running'
                       AND (batch.job_started IS NULL OR batch.job_started
                            < now() at time zone 'UTC' - %(grace)s::interval)
                       AND pg_try_advisory_xact_lock(%(key)s, batch.id)
                    RETURNING batch.id, batch.name, batch.job, batch.job_state,
                              batch.job_tries
                    """,
                    max=MAX_JOB_TRIES,
                    key=LOCK_JOB,
                    grace=JOB_LOCK_GRACE,
                    error=env._(
                        "The work was interrupted %(tries)s times without finishing "
                        "(the server stopped or ran out of time or memory); nothing "
                        "was written. Staff can retry it once the cause is mended.",
                        tries=MAX_JOB_TRIES,
                    ),
                )
            )
        for batch_id, name, job, state, tries in rows:
            _logger.warning(
                "Sell-out batch %s (id %s): %s lost its worker after try %s, now %s",
                name,
                batch_id,
                job,
                tries,
                state,
            )
        if any(state == "queued" for *_rest, state, _tries in rows):
            self.env.ref("dealer_portal.ir_cron_sellout_jobs")._trigger()

    def _run_job(self):
        """Run this batch's claimed job, in a transaction of its own."""
        self.ensure_one()
        with self._job_cursor() as env:
            batch = self.with_env(env)
            env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", LOCK_JOB, batch.id)
            )
            # Read under the lock: another worker may have run it meanwhile.
            if batch.job_state != "running":
                _logger.info(
                    "Sell-out batch %s (id %s): job already run by another worker",
                    batch.name,
                    batch.id,
                )
                return
            batch._run_job_locked()

    def _run_job_locked(self):
        self.ensure_one()
        job, started = self.job, time.monotonic()
        _logger.info(
            "Sell-out batch %s (id %s, dealer %s, file %r): %s running, try %s",
            self.name,
            self.id,
            self.dealer_id.dealer_code,
            self.file_name,
            job,
            self.job_tries,
        )
        try:
            with self.env.cr.savepoint():
                if job == "import":
                    self._read_file(self.attachment_id.raw, progress=self._job_progress)
                else:
                    self._submit()
                self.write({"job": False, "job_state": False, "job_error": False})
        except (UserError, ValidationError) as err:
            self.write({"job_state": "failed", "job_error": err.args[0]})
            _logger.warning(
                "Sell-out batch %s (id %s): %s failed after %.2fs: %s",
                self.name,
                self.id,
                job,
                time.monotonic() - started,
                err.args[0],
            )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as err:
            # Another transaction got in the way: nothing was written, run it
            # again later.
            self.write({"job_state": "queued", "job_tries": self.job_tries - 1})
            self.env.ref("dealer_portal.ir_cron_sellout_jobs")._trigger()
            _logger.warning(
                "Sell-out batch %s (id %s): %s queued again after a concurrent "
                "update: %s",
                self.name,
                self.id,
                job,
                err,
            )
        except Exception:
            _logger.exception(
                "Sell-out batch %s (id %s, dealer %s): %s crashed after %.2fs",
                self.name,
                self.id,
                self.dealer_id.dealer_code,
                job,
                time.monotonic() - started,
            )
            self.write(
                {
                    "job_state": "failed",
                    "job_error": _(
                        "An unexpected error stopped the work; nothing was written. "
                        "Our staff have been told."
                    ),
                }
            )
        else:
            _logger.info(
                "Sell-out batch %s (id %s): %s done in %.2fs, %s",
                self.name,
                self.id,
                job,
                time.monotonic() - started,
                self._log_counts(),
            )

    def _log_counts(self):
        """The batch's line counts, for the log."""
        self.ensure_one()
        return (
            f"{self.line_count} line(s), {self.unreadable_count} unreadable, "
            f"{self.blocking_count} blocking and {self.warning_count} warning "
            f"issue(s), {self.posted_count} posted, {self.review_count} in review"
        )

    def _job_progress(self, rows):
        # Written in a short transaction of its own so that the dealer sees it
        # while the batch's lines are still being loaded, uncommitted.
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE dealer_sellout_batch SET job_progress = %s WHERE id = %s",
                    rows,
                    self.id,
                )
            )

    # ------------------------------------------------------------------
    # Helpers

    def _ledger_state(self, holding=False):
        """What the checks of this batch depend on, as a short text: how often
        the ledgers of its dealer and upstream dealers were written (every
        writer holds their lock, which counts its holders), and how many of
        its dealer's batches are submitted and done. If it is unchanged, so is
        every check's answer, but one: a line in review rejected since, which
        may still be taken for the first report of a duplicate.

        ``holding``: this transaction has just taken its dealer's lock, and
        counted itself; the state is the one from before.

        Counters, not the last ledger line and the last line reported: those
        were found by reading back from the newest line of all dealers, and a
        large batch of another dealer made that read as long as the batch."""
        self.ensure_one()
        self.env.flush_all()
        [(state,)] = self.env.execute_query(
            SQL(
                """
                WITH RECURSIVE upstream(id) AS (
                    SELECT %(dealer)s
                     UNION
                    SELECT partner.dealer_parent_id
                      FROM upstream JOIN res_partner partner ON partner.id = upstream.id
                     WHERE partner.dealer_parent_id IS NOT NULL
                )
                SELECT CONCAT_WS(':',
                    (SELECT COALESCE(STRING_AGG(
                                (lock.version - CASE WHEN %(holding)s
                                    AND lock.value = hashtext(%(dealer)s::text)
                                    THEN 1 ELSE 0 END)::text,
                                ',' ORDER BY lock.value), '0')
                       FROM dealer_sellout_lock lock
                      WHERE lock.key = %(ledger)s
                        AND lock.value IN (SELECT hashtext(id::text) FROM upstream)),
                    (SELECT CONCAT(COUNT(*) FILTER (WHERE state = 'submitted'), '/',
                                   COUNT(*) FILTER (WHERE state = 'done'))
                       FROM dealer_sellout_batch
                      WHERE dealer_id = %(dealer)s),
                    (SELECT dealer_sellout_lock_date FROM res_company
                      WHERE id = %(company)s),
                    CURRENT_DATE)
                """,
                dealer=self.dealer_id.id,
                company=self.company_id.id,
                ledger=LOCK_LEDGER,
                holding=holding,
            )
        )
        return state

    def _reviewer(self):
        """Who decides on this batch's blocking issues."""
        self.ensure_one()
        return self.dealer_id._dealer_channel_manager() or self.env.user

    def _lock_ledger(self):
        self._lock(LOCK_LEDGER, self.dealer_id.id)

    def _decisions_posted(self, issues):
        """Tell the dealer what was decided, and close the batch when nothing
        waits any more."""
        self.ensure_one()
        labels = dict(issues._fields["rule"]._description_selection(self.env))
        states = dict(issues._fields["state"]._description_selection(self.env))
        rows = Markup("").join(
            Markup("<li>%s</li>")
            % _(
                "Row %(row)s, %(rule)s: %(decision)s (%(reason)s)",
                row=issue.line_row,
                rule=labels[issue.rule],
                decision=states[issue.state],
                reason=issue.decision_reason,
            )
            for issue in issues
        )
        self.message_post(
            body=Markup("%s<ul>%s</ul>") % (_("Decisions on your sell-out:"), rows),
            partner_ids=self.submitted_uid.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        if not self.env["dealer.sellout.line"].search_count(
            [("batch_id", "=", self.id), ("state", "in", ("draft", "review"))], limit=1
        ):
            self.state = "done"
            self.activity_feedback(["mail.mail_activity_data_todo"])

    def _tune_for_bulk(self):
        """Set PostgreSQL up for work on a whole batch, until the transaction ends.

        The plans of the checks over a large batch cost enough to trigger the
        JIT compiler, which then spends far longer compiling than the queries
        take to run; and grouping a batch's lines by day needs more than the
        default working memory not to spill to disk.
        """
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        self.env.cr.execute(SQL("SET LOCAL work_mem = '64MB'"))

    def _lock(self, key, value):
        """Wait for, then hold until the transaction ends, the lock on
        ``(key, value)``; fail the transaction if it began before the last
        holder committed.

        A row of ``dealer_sellout_lock`` that each holder bumps, rather than an
        advisory lock: Odoo's transactions are REPEATABLE READ, and one that
        waited for an advisory lock would still read the data of before the
        holder's commit (no duplicate found, stock already sold still there).
        PostgreSQL fails a transaction that updates a row changed since it
        began; Odoo runs it again (HTTP requests, RPC), on fresh data.
        """
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO dealer_sellout_lock AS lock (key, value)
                VALUES (%s, hashtext(%s))
                ON CONFLICT (key, value) DO UPDATE SET version = lock.version + 1
                """,
                key,
                str(value),
            )
        )
