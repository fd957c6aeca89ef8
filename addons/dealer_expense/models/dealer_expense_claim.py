import re
from decimal import Decimal, InvalidOperation

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, format_amount, format_date
from odoo.tools.mimetypes import guess_mimetype

CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("written_off", "Written Off"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
PAYMENT_METHODS = [
    ("credit_note", "Credit Note"),
    ("cash", "Cash Reimbursement"),
]
APPROVAL_LEVELS = [
    ("user", "Channel User"),
    ("manager", "Channel Manager"),
    ("finance", "Finance Manager"),
]
LEVEL_GROUPS = {
    "user": "dealer_portal.group_channel_user",
    "manager": "dealer_portal.group_channel_manager",
    "finance": "account.group_account_manager",
}
# What a dealer's proof may be: photos and PDF documents, read from the bytes,
# never from the name or the browser's word. No SVG: it can carry scripts.
PROOF_MIMETYPES = {
    "image/jpeg": "photo",
    "image/png": "photo",
    "image/gif": "photo",
    "image/webp": "photo",
    "application/pdf": "document",
}
MAX_PROOF_BYTES = 10 * 1024 * 1024
MAX_PROOF_FILES = 20
# The claim itself, as the dealer wrote it: frozen once submitted.
CONTENT_FIELDS = {
    "dealer_id",
    "fund_id",
    "expense_type_id",
    "date_from",
    "date_to",
    "territory_id",
    "product_ids",
    "customer_ids",
    "requested_amount",
    "payment_method",
    "description",
}
# Set by the workflow methods only, after they checked who acts.
WORKFLOW_FIELDS = {
    "state",
    "approved_amount",
    "submitted_date",
    "approved_date",
    "written_off_date",
    "move_id",
    "decision_reason",
}
# What a dealer may do to its claim from the portal, by the claim's status.
PORTAL_ACTIONS = {
    "edit": ("draft",),
    "submit": ("draft",),
    "cancel": ("draft", "submitted"),
    "reopen": ("rejected", "cancelled"),
    "proof": ("draft", "submitted"),
    "delete_proof": ("draft",),
}
AMOUNT_RE = re.compile(r"[\s,¥￥$]")


class DealerExpenseClaim(models.Model):
    _name = "dealer.expense.claim"
    _description = "Dealer Expense Claim"
    _inherit = ["portal.mixin", "mail.thread.main.attachment", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    state = fields.Selection(
        CLAIM_STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        group_expand="_read_group_expand_states",
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain=[("is_dealer", "=", True)],
        check_company=True,
        tracking=True,
    )
    channel_user_id = fields.Many2one(
        related="dealer_id.user_id", string="Channel Manager", store=True
    )
    fund_id = fields.Many2one(
        "dealer.fund",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('state', '=', 'open'), ('eligible_dealer_ids', 'in', [dealer_id])]",
    )
    company_id = fields.Many2one(
        related="fund_id.company_id", store=True, precompute=True, index=True
    )
    currency_id = fields.Many2one(
        related="fund_id.currency_id", store=True, precompute=True
    )
    programme_id = fields.Many2one(related="fund_id.programme_id", store=True)
    expense_type_id = fields.Many2one(
        "dealer.expense.type",
        required=True,
        index=True,
        tracking=True,
        domain="[('id', 'in', allowed_expense_type_ids)]",
    )
    allowed_expense_type_ids = fields.Many2many(
        "dealer.expense.type", compute="_compute_allowed_expense_type_ids"
    )
    date_from = fields.Date(string="Activity Start", required=True, tracking=True)
    date_to = fields.Date(string="Activity End", required=True, tracking=True)
    territory_id = fields.Many2one(
        "dealer.territory",
        tracking=True,
        help="Where the activity took place; its sell-out is read there.",
    )
    product_ids = fields.Many2many(
        "product.product",
        "dealer_expense_claim_product_rel",
        "claim_id",
        "product_id",
        string="Products",
        help="The products the activity promoted; its sell-out is read for them.",
    )
    customer_ids = fields.Many2many(
        "dealer.customer",
        "dealer_expense_claim_customer_rel",
        "claim_id",
        "customer_id",
        string="Customers",
        domain="[('dealer_id', '=', dealer_id)]",
        help="The shops or sub-distributors where the activity took place.",
    )
    requested_amount = fields.Monetary(required=True, tracking=True)
    approved_amount = fields.Monetary(readonly=True, copy=False)
    committed_amount = fields.Monetary(
        compute="_compute_budget_amounts",
        store=True,
        help="What the claim holds of its fund until it is written off.",
    )
    consumed_amount = fields.Monetary(
        compute="_compute_budget_amounts",
        store=True,
        help="What the claim used of its fund once written off.",
    )
    description = fields.Text()
    payment_method = fields.Selection(
        PAYMENT_METHODS,
        required=True,
        default="credit_note",
        tracking=True,
        help="Credit note: the amount is credited to the dealer's account and "
        "offsets what it owes. Cash reimbursement: a vendor bill is paid to the "
        "dealer.",
    )
    approval_level = fields.Selection(
        APPROVAL_LEVELS,
        compute="_compute_approval_level",
        store=True,
        help="Who may approve the claim, by its requested amount.",
    )
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    written_off_date = fields.Date(readonly=True, copy=False)
    decision_reason = fields.Text(
        readonly=True, copy=False, help="The reason of the latest decision."
    )
    decision_ids = fields.One2many(
        "dealer.expense.claim.decision", "claim_id", string="Decisions"
    )
    move_id = fields.Many2one(
        "account.move",
        string="Write-off Document",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    move_ids = fields.One2many(
        "account.move", "dealer_expense_claim_id", string="Write-off Documents"
    )
    move_count = fields.Integer(compute="_compute_move_count")
    proof_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        domain=[("res_model", "=", "dealer.expense.claim")],
    )
    proof_count = fields.Integer(compute="_compute_proof_count")
    proof_description = fields.Text(related="expense_type_id.proof_description")
    sellout_line_count = fields.Integer(
        string="Sell-out Lines", compute="_compute_sellout", compute_sudo=True
    )
    sellout_quantity = fields.Float(
        string="Sell-out Quantity",
        compute="_compute_sellout",
        compute_sudo=True,
        digits="Product Unit of Measure",
    )
    sellout_amount = fields.Monetary(
        string="Sell-out Amount",
        compute="_compute_sellout",
        compute_sudo=True,
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    duplicate_proof_claim_ids = fields.Many2many(
        "dealer.expense.claim",
        string="Same Proof In",
        compute="_compute_warnings",
        compute_sudo=True,
        help="Other claims with one of this claim's proof files.",
    )
    overlapping_claim_ids = fields.Many2many(
        "dealer.expense.claim",
        string="Overlapping Claims",
        compute="_compute_warnings",
        compute_sudo=True,
        help="Other claims of the dealer for the same type and customers in an "
        "overlapping period.",
    )
    has_warning = fields.Boolean(
        string="Flagged",
        compute="_compute_warnings",
        search="_search_has_warning",
        compute_sudo=True,
    )

    _sql_constraints = [
        (
            "requested_not_negative",
            "CHECK(requested_amount >= 0)",
            "The requested amount cannot be negative.",
        ),
        (
            "approved_within_requested",
            "CHECK(approved_amount >= 0 AND approved_amount <= requested_amount)",
            "A claim cannot be approved for more than was requested.",
        ),
    ]

    def _read_group_expand_states(self, states, domain):
        # The workbench shows every step, in the order claims go through them.
        return [state for state, _label in CLAIM_STATES]

    # -- computes ---------------------------------------------------------------

    def _compute_access_url(self):
        for claim in self:
            claim.access_url = f"/my/dealer/claims/{claim.id}"

    @api.depends("fund_id.expense_type_ids")
    def _compute_allowed_expense_type_ids(self):
        every_type = self.env["dealer.expense.type"].search([])
        for claim in self:
            claim.allowed_expense_type_ids = (
                claim.fund_id.expense_type_ids.filtered("active") or every_type
            )

    @api.depends("state", "requested_amount", "approved_amount")
    def _compute_budget_amounts(self):
        for claim in self:
            claim.committed_amount = {
                "submitted": claim.requested_amount,
                "approved": claim.approved_amount,
            }.get(claim.state, 0.0)
            claim.consumed_amount = (
                claim.approved_amount if claim.state == "written_off" else 0.0
            )

    @api.depends(
        "requested_amount",
        "currency_id",
        "company_id.dealer_expense_manager_limit",
        "company_id.dealer_expense_finance_limit",
    )
    def _compute_approval_level(self):
        today = fields.Date.context_today(self)
        for claim in self:
            company = claim.company_id or self.env.company
            amount = claim.requested_amount
            if claim.currency_id and claim.currency_id != company.currency_id:
                amount = claim.currency_id._convert(
                    amount, company.currency_id, company, today
                )
            finance_limit = company.dealer_expense_finance_limit
            manager_limit = company.dealer_expense_manager_limit
            if finance_limit and amount > finance_limit:
                claim.approval_level = "finance"
            elif manager_limit and amount > manager_limit:
                claim.approval_level = "manager"
            else:
                claim.approval_level = "user"

    @api.depends("move_ids")
    def _compute_move_count(self):
        # Channel staff without accounting rights see how many documents there
        # are, not the documents.
        counts = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("dealer_expense_claim_id", "in", self.ids)],
                ["dealer_expense_claim_id"],
                ["__count"],
            )
        )
        for claim in self:
            claim.move_count = counts.get(claim, 0)

    @api.depends("proof_ids")
    def _compute_proof_count(self):
        for claim in self:
            claim.proof_count = len(claim.proof_ids)

    @api.depends(
        "dealer_id",
        "date_from",
        "date_to",
        "territory_id",
        "product_ids",
        "customer_ids",
    )
    def _compute_sellout(self):
        Line = self.env["dealer.sellout.line"]
        for claim in self:
            if not (claim.dealer_id and claim.date_from and claim.date_to):
                claim.sellout_line_count = 0
                claim.sellout_quantity = claim.sellout_amount = 0.0
                continue
            [(count, quantity, amount)] = Line._read_group(
                claim._sellout_domain(), [], ["__count", "quantity:sum", "amount:sum"]
            )
            claim.sellout_line_count = count
            claim.sellout_quantity = quantity or 0.0
            claim.sellout_amount = amount or 0.0

    # Other claims count too: a value read in the same transaction as another
    # claim's change may need invalidate_recordset(); each request reads afresh.
    @api.depends(
        "state",
        "dealer_id",
        "expense_type_id",
        "date_from",
        "date_to",
        "customer_ids",
        "proof_ids.checksum",
    )
    def _compute_warnings(self):
        saved = self.filtered("id")
        duplicates = dict(self._duplicate_proof_pairs(saved.ids)) if saved else {}
        overlaps = dict(self._overlapping_pairs(saved.ids)) if saved else {}
        for claim in self:
            claim.duplicate_proof_claim_ids = self.browse(duplicates.get(claim.id, []))
            claim.overlapping_claim_ids = self.browse(overlaps.get(claim.id, []))
            claim.has_warning = bool(
                claim.duplicate_proof_claim_ids or claim.overlapping_claim_ids
            )

    def _search_has_warning(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Flagged claims can only be searched as flagged or not."))
        flagged = SQL(
            "SELECT claim_id FROM (%s) AS duplicate UNION "
            "SELECT claim_id FROM (%s) AS overlap",
            self._duplicate_proof_query(),
            self._overlapping_query(),
        )
        self._flush_warnings()
        wanted = value if operator == "=" else not value
        return [("id", "in" if wanted else "not in", SQL("(%s)", flagged))]

    def _flush_warnings(self):
        self.flush_model(
            ["dealer_id", "expense_type_id", "date_from", "date_to", "state"]
        )
        self.env["ir.attachment"].flush_model(["res_model", "res_id", "checksum"])

    def _duplicate_proof_query(self, claim_ids=None):
        """Pairs ``(claim_id, other_id)`` of claims sharing a proof file."""
        return SQL(
            """
            SELECT DISTINCT proof.res_id AS claim_id, twin.res_id AS other_id
              FROM ir_attachment proof
              JOIN ir_attachment twin
                   ON twin.checksum = proof.checksum
                  AND twin.res_model = 'dealer.expense.claim'
                  AND twin.res_id != proof.res_id
              JOIN dealer_expense_claim other
                   ON other.id = twin.res_id AND other.state != 'cancelled'
             WHERE proof.res_model = 'dealer.expense.claim'
               AND proof.checksum IS NOT NULL
               AND %s
            """,
            SQL("proof.res_id = ANY(%s)", claim_ids)
            if claim_ids is not None
            else SQL("TRUE"),
        )

    def _overlapping_query(self, claim_ids=None):
        """Pairs ``(claim_id, other_id)`` of claims of one dealer for the same type
        and customers (or both without customers) in overlapping periods."""
        return SQL(
            """
            SELECT claim.id AS claim_id, other.id AS other_id
              FROM dealer_expense_claim claim
              JOIN dealer_expense_claim other
                   ON other.id != claim.id
                  AND other.dealer_id = claim.dealer_id
                  AND other.expense_type_id = claim.expense_type_id
                  AND other.date_from <= claim.date_to
                  AND other.date_to >= claim.date_from
                  AND other.state NOT IN ('rejected', 'cancelled')
             WHERE claim.state NOT IN ('rejected', 'cancelled')
               AND %s
               AND (
                    EXISTS (
                        SELECT 1
                          FROM dealer_expense_claim_customer_rel mine
                          JOIN dealer_expense_claim_customer_rel theirs
                               ON theirs.customer_id = mine.customer_id
                         WHERE mine.claim_id = claim.id
                           AND theirs.claim_id = other.id
                    )
                    OR (
                        NOT EXISTS (
                            SELECT 1 FROM dealer_expense_claim_customer_rel rel
                             WHERE rel.claim_id IN (claim.id, other.id)
                        )
                    )
               )
            """,
            SQL("claim.id = ANY(%s)", claim_ids)
            if claim_ids is not None
            else SQL("TRUE"),
        )

    def _duplicate_proof_pairs(self, claim_ids):
        self._flush_warnings()
        return self._grouped_pairs(self._duplicate_proof_query(claim_ids))

    def _overlapping_pairs(self, claim_ids):
        self._flush_warnings()
        self.flush_model(["customer_ids"])
        return self._grouped_pairs(self._overlapping_query(claim_ids))

    def _grouped_pairs(self, query):
        return self.env.execute_query(
            SQL(
                "SELECT claim_id, array_agg(DISTINCT other_id) FROM (%s) AS pairs "
                "GROUP BY claim_id",
                query,
            )
        )

    # -- constraints --------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for claim in self:
            if claim.date_from > claim.date_to:
                raise ValidationError(
                    _(
                        "The activity of %(claim)s ends before it starts.",
                        claim=claim.name,
                    )
                )

    @api.constrains("dealer_id")
    def _check_dealer(self):
        for claim in self:
            if not claim.dealer_id.is_dealer:
                raise ValidationError(
                    _(
                        "%(partner)s is not a dealer: only dealers claim expenses.",
                        partner=claim.dealer_id.name,
                    )
                )

    # -- CRUD ---------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Who may not create claims at all hears so before anything else.
        self.check_access("create")
        for vals in vals_list:
            if WORKFLOW_FIELDS & set(vals):
                raise UserError(
                    _("A claim starts as a draft; its status changes by its buttons.")
                )
        funds = self.env["dealer.fund"].browse(
            {vals["fund_id"] for vals in vals_list if vals.get("fund_id")}
        )
        companies = {fund.id: fund.company_id for fund in funds}
        # Numbering is the claim's own business, whoever creates it.
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            company = companies.get(vals.get("fund_id"), self.env.company)
            vals["name"] = (
                sequences.with_company(company).next_by_code("dealer.expense.claim")
                or "/"
            )
        claims = super().create(vals_list)
        claims._subscribe_dealer()
        return claims

    def write(self, vals):
        self.check_access("write")
        if WORKFLOW_FIELDS & set(vals):
            raise UserError(
                _(
                    "The status and the approved amount of a claim change by its "
                    "buttons only."
                )
            )
        if CONTENT_FIELDS & set(vals):
            for claim in self:
                if claim.state != "draft":
                    raise UserError(
                        _(
                            "%(claim)s is no longer a draft: what it claims cannot "
                            "change.",
                            claim=claim.name,
                        )
                    )
        return super().write(vals)

    def _write_workflow(self, vals):
        # The workflow methods checked who acts and what may change; they write
        # past the guards of ``write`` (but through those of the other models).
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if any(claim.state not in ("draft", "cancelled") for claim in self):
            raise UserError(
                _("Only draft or cancelled claims can be deleted; cancel it instead.")
            )

    # -- workflow -----------------------------------------------------------------

    def action_submit(self):
        for claim in self:
            if claim.state != "draft":
                raise UserError(
                    _(
                        "Only a draft claim can be submitted: %(claim)s is %(state)s.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
        self._check_submittable()
        funds = self.fund_id
        funds._lock_for_budget()
        self._write_workflow(
            {"state": "submitted", "submitted_date": fields.Datetime.now()}
        )
        funds._check_available()
        for claim in self:
            claim._log_decision("submitted", claim.requested_amount)
            claim._notify_step(
                "dealer_expense.mt_claim_submitted",
                _(
                    "Claim submitted for %(amount)s.",
                    amount=claim._format(claim.requested_amount),
                ),
            )
        self._schedule_approval()
        return True

    def action_approve(self, amount=None, reason=None):
        """Approve the claims, each for ``amount`` or, without one, as requested.

        :param amount: the approved amount, at most the requested one
        :param reason: why, required when less than requested is approved
        """
        reason = (reason or "").strip()
        for claim in self:
            claim._check_decision("approve")
            approved = claim.requested_amount if amount is None else amount
            if claim.currency_id.compare_amounts(approved, 0) <= 0:
                raise UserError(
                    _(
                        "Approve %(claim)s for more than zero, or reject it.",
                        claim=claim.name,
                    )
                )
            if claim.currency_id.compare_amounts(approved, claim.requested_amount) > 0:
                raise UserError(
                    _(
                        "%(claim)s asks for %(requested)s: it cannot be approved for "
                        "more.",
                        claim=claim.name,
                        requested=claim._format(claim.requested_amount),
                    )
                )
            partial = (
                claim.currency_id.compare_amounts(approved, claim.requested_amount) < 0
            )
            if partial and not reason:
                raise UserError(
                    _(
                        "Say why %(claim)s is approved for less than requested.",
                        claim=claim.name,
                    )
                )
            funds = claim.fund_id
            funds._lock_for_budget()
            claim._write_workflow(
                {
                    "state": "approved",
                    "approved_amount": approved,
                    "approved_date": fields.Datetime.now(),
                    "decision_reason": reason or False,
                }
            )
            funds._check_available()
            claim._log_decision("approved", approved, reason)
            if partial:
                body = _(
                    "Approved for %(amount)s of the %(requested)s requested. "
                    "Reason: %(reason)s",
                    amount=claim._format(approved),
                    requested=claim._format(claim.requested_amount),
                    reason=reason,
                )
            elif reason:
                body = _(
                    "Approved for %(amount)s. Note: %(reason)s",
                    amount=claim._format(approved),
                    reason=reason,
                )
            else:
                body = _("Approved for %(amount)s.", amount=claim._format(approved))
            claim._notify_step("dealer_expense.mt_claim_approved", body)
        self._close_approval_activities(_("Approved"))
        return True

    def action_reject(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Say why the claim is rejected: the dealer reads it."))
        for claim in self:
            claim._check_decision("reject")
        self._write_workflow(
            {"state": "rejected", "decision_reason": reason, "approved_amount": 0.0}
        )
        for claim in self:
            claim._log_decision("rejected", 0.0, reason)
            claim._notify_step(
                "dealer_expense.mt_claim_rejected",
                _("Rejected. Reason: %(reason)s", reason=reason),
            )
        self._close_approval_activities(_("Rejected"))
        return True

    def action_cancel(self):
        for claim in self:
            if claim.state not in ("draft", "submitted", "approved"):
                raise UserError(
                    _(
                        "%(claim)s is %(state)s: it can no longer be cancelled.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
        self._write_workflow({"state": "cancelled", "approved_amount": 0.0})
        for claim in self:
            claim._log_decision("cancelled", 0.0)
            claim._notify_step("dealer_expense.mt_claim_cancelled", _("Cancelled."))
        self.activity_unlink(["dealer_expense.mail_activity_type_claim_approval"])
        return True

    def action_reset_draft(self):
        for claim in self:
            if claim.state not in ("rejected", "cancelled"):
                raise UserError(
                    _(
                        "Only a rejected or cancelled claim goes back to draft; "
                        "%(claim)s is %(state)s.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
        self._write_workflow(
            {
                "state": "draft",
                "approved_amount": 0.0,
                "submitted_date": False,
                "approved_date": False,
            }
        )
        for claim in self:
            claim._log_decision("reopened", 0.0)
            claim._notify_step(
                "dealer_expense.mt_claim_cancelled",
                _("Back to draft: it can be corrected and submitted again."),
            )
        return True

    def action_open_approve_wizard(self):
        return self._open_wizard("dealer.expense.claim.approve", _("Approve Claims"))

    def action_open_reject_wizard(self):
        return self._open_wizard("dealer.expense.claim.reject", _("Reject Claims"))

    def action_open_write_off_wizard(self):
        return self._open_wizard("dealer.expense.write.off", _("Write Off Claims"))

    def _open_wizard(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_write_off(self, date=None):
        """Write the approved claims off in accounting: one posted move each.

        Claims written off already are left as they are: a second write-off
        does nothing, and says so.

        :param date: the accounting date of the moves; today without one
        :return: ``(moves, already)``: the moves created and the claims that
            were written off already
        """
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(_("Only accounting users write claims off."))
        self._lock_rows()
        already = self.filtered(lambda claim: claim.state == "written_off")
        todo = self - already
        for claim in todo:
            if claim.state != "approved":
                raise UserError(
                    _(
                        "Only approved claims are written off: %(claim)s is %(state)s.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
        date = date or fields.Date.context_today(self)
        moves = self.env["account.move"]
        for claim in todo:
            moves |= (
                self.env["account.move"]
                .with_company(claim.company_id)
                .create(claim._prepare_write_off_move_vals(date))
            )
        moves.action_post()
        for claim, move in zip(todo, moves, strict=True):
            claim._write_workflow(
                {"state": "written_off", "move_id": move.id, "written_off_date": date}
            )
            claim._log_decision("written_off", claim.approved_amount, move=move)
            if move.move_type == "out_refund":
                body = _(
                    "Written off: %(amount)s credited to your account by the credit "
                    "note %(document)s.",
                    amount=claim._format(claim.approved_amount),
                    document=move.name,
                )
            else:
                body = _(
                    "Written off: %(amount)s to be paid to you, vendor bill "
                    "%(document)s.",
                    amount=claim._format(claim.approved_amount),
                    document=move.name,
                )
            claim._notify_step("dealer_expense.mt_claim_written_off", body)
        return moves, already

    def _undo_write_off(self, moves, how):
        """The write-off moves were reversed, cancelled or deleted: the claims are
        approved again, their budget committed again, for a new write-off."""
        claims = self.filtered(
            lambda claim: claim.state == "written_off" and claim.move_id in moves
        )
        for claim in claims:
            move = claim.move_id
            claim._write_workflow(
                {"state": "approved", "move_id": False, "written_off_date": False}
            )
            reason = _("%(document)s was %(how)s.", document=move.display_name, how=how)
            claim._log_decision("write_off_undone", claim.approved_amount, reason)
            claim._notify_step(
                "dealer_expense.mt_claim_approved",
                _(
                    "The write-off %(document)s was %(how)s: the claim is approved "
                    "again and waits for a new write-off.",
                    document=move.display_name,
                    how=how,
                ),
            )
        return claims

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_journal_line"
        )
        moves = self.move_ids
        if len(moves) == 1:
            action.update(
                {"views": [(False, "form")], "view_mode": "form", "res_id": moves.id}
            )
        else:
            action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_sellout(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.dealer_sellout_line_action"
        )
        action["domain"] = self._sellout_domain()
        action["context"] = {"create": False}
        action["display_name"] = _("Sell-out of %(claim)s", claim=self.name)
        return action

    # -- business methods ---------------------------------------------------------

    def _sellout_domain(self):
        """The validated sell-out of the activity: the dealer's posted lines in its
        window, for its products, customers and territory when it names them."""
        self.ensure_one()
        domain = [
            ("dealer_id", "=", self.dealer_id.id),
            ("state", "=", "posted"),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids._origin.ids))
        if self.customer_ids:
            domain.append(("customer_id", "in", self.customer_ids._origin.ids))
        if self.territory_id:
            domain.append(("territory_id", "child_of", self.territory_id.id))
        return domain

    def _check_submittable(self):
        for claim in self:
            problems = claim._submit_problems()
            if problems:
                raise UserError("\n".join(problems))

    def _submit_problems(self):
        """What stands in the way of submitting the claim, as the dealer reads it
        (the budget left is checked on submission, under the fund's lock)."""
        self.ensure_one()
        problems = []
        fund = self.fund_id
        if self.currency_id.compare_amounts(self.requested_amount, 0) <= 0:
            problems.append(_("Enter the amount the claim asks for."))
        if fund.state != "open":
            problems.append(
                _(
                    "The fund %(fund)s is not open: claims cannot be submitted on it.",
                    fund=fund.name,
                )
            )
        if self.dealer_id not in fund.eligible_dealer_ids:
            problems.append(
                _(
                    "%(dealer)s may not claim on the fund %(fund)s.",
                    dealer=self.dealer_id.name,
                    fund=fund.name,
                )
            )
        if self.date_from < fund.date_from or self.date_to > fund.date_to:
            problems.append(
                _(
                    "The activity must take place within the fund's period, "
                    "%(date_from)s – %(date_to)s.",
                    date_from=format_date(self.env, fund.date_from),
                    date_to=format_date(self.env, fund.date_to),
                )
            )
        if self.expense_type_id not in self.allowed_expense_type_ids:
            problems.append(
                _(
                    "The fund %(fund)s does not pay for %(type)s.",
                    fund=fund.name,
                    type=self.expense_type_id.name,
                )
            )
        if self.territory_id:
            problems += self._territory_problems()
        problems += self._proof_problems()
        return problems

    def _territory_problems(self):
        self.ensure_one()
        place = self.territory_id.id
        if not self.env["res.partner"]._dealer_places_authorised(
            [(self.dealer_id.id, place)]
        ):
            return [
                _(
                    "%(dealer)s is not authorised in %(territory)s.",
                    dealer=self.dealer_id.name,
                    territory=self.territory_id.complete_name,
                )
            ]
        area = self.fund_id.territory_id
        if area and not self.env["dealer.territory"]._pairs_inside([(place, area.id)]):
            return [
                _(
                    "The fund %(fund)s pays for activities in %(area)s only.",
                    fund=self.fund_id.name,
                    area=area.complete_name,
                )
            ]
        return []

    def _proof_problems(self):
        self.ensure_one()
        kinds = {PROOF_MIMETYPES.get(proof.mimetype) for proof in self.proof_ids}
        expense_type = self.expense_type_id
        problems = []
        if expense_type.requires_photo and "photo" not in kinds:
            problems.append(
                _(
                    "A %(type)s claim needs at least one photo as proof.",
                    type=expense_type.name,
                )
            )
        if expense_type.requires_document and "document" not in kinds:
            problems.append(
                _(
                    "A %(type)s claim needs at least one PDF document as proof.",
                    type=expense_type.name,
                )
            )
        return problems

    def _portal_allows(self, action):
        """Whether the dealer may do ``action`` to the claim from the portal."""
        self.ensure_one()
        return self.state in PORTAL_ACTIONS.get(action, ())

    def _portal_error_message(self, code):
        """The message of an error code a portal action redirected with."""
        return {
            "state": _("This is no longer possible: the claim has moved on."),
            "proof": _(
                "Some files were not added: proof is photos (JPEG, PNG, GIF, WebP) "
                "and PDF files of %(size)s MB at most, %(count)s files per claim.",
                size=MAX_PROOF_BYTES // (1024 * 1024),
                count=MAX_PROOF_FILES,
            ),
            "submit": _(
                "The claim could not be submitted and stays a draft: see below, or "
                "the budget left on the fund."
            ),
        }.get(code)

    def _check_decision(self, verb):
        """Only a submitted claim is decided, by someone of its approval level;
        finance may still reject an approved claim before writing it off."""
        self.ensure_one()
        user = self.env.user
        if self.state == "approved" and verb == "reject":
            allowed = self.env.su or user.has_group("account.group_account_invoice")
            allowed = allowed or user.has_group(LEVEL_GROUPS[self.approval_level])
        elif self.state == "submitted":
            allowed = self.env.su or user.has_group(LEVEL_GROUPS[self.approval_level])
        else:
            raise UserError(
                _(
                    "%(claim)s is %(state)s: it is not waiting for a decision.",
                    claim=self.name,
                    state=self._state_label(),
                )
            )
        if not allowed:
            levels = dict(
                self._fields["approval_level"]._description_selection(self.env)
            )
            raise AccessError(
                _(
                    "%(claim)s asks for %(amount)s: only a %(level)s may decide on it.",
                    claim=self.name,
                    amount=self._format(self.requested_amount),
                    level=levels[self.approval_level],
                )
            )

    def _lock_rows(self):
        """Hold the claims' rows, then read their status afresh: two write-offs
        of one claim at the same moment make one move, the other one waits and
        finds it written off (or is retried by Odoo on fresh data)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM dealer_expense_claim WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE",
                    self.ids,
                )
            )
            self.invalidate_recordset(["state", "move_id"])

    def _prepare_write_off_move_vals(self, date):
        self.ensure_one()
        company = self.company_id
        credit_note = self.payment_method == "credit_note"
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale" if credit_note else "purchase"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                _(
                    "%(company)s has no %(kind)s journal to write %(claim)s off in.",
                    company=company.name,
                    kind=_("sales") if credit_note else _("purchase"),
                    claim=self.name,
                )
            )
        account = self.expense_type_id._get_expense_account(company)
        return {
            "move_type": "out_refund" if credit_note else "in_invoice",
            "partner_id": self.dealer_id.id,
            "journal_id": journal.id,
            "currency_id": self.currency_id.id,
            "invoice_date": date,
            "date": date,
            "ref": self.name,
            "invoice_origin": self.name,
            "dealer_expense_claim_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": _(
                            "%(claim)s: %(type)s, %(date_from)s – %(date_to)s",
                            claim=self.name,
                            type=self.expense_type_id.name,
                            date_from=format_date(self.env, self.date_from),
                            date_to=format_date(self.env, self.date_to),
                        ),
                        "account_id": account.id,
                        "quantity": 1.0,
                        "price_unit": self.approved_amount,
                        "tax_ids": [Command.clear()],
                        "analytic_distribution": self.fund_id.analytic_distribution,
                    }
                )
            ],
        }

    def _log_decision(self, kind, amount, reason=None, move=None):
        self.ensure_one()
        # The log is written by the workflow methods only, after their checks;
        # nobody writes it directly, the dealer who submits included.
        self.env["dealer.expense.claim.decision"].sudo().create(
            {
                "claim_id": self.id,
                "kind": kind,
                "amount": amount,
                "reason": reason or False,
                "move_id": move.id if move else False,
                "user_id": self.env.user.id,
            }
        )

    def _notify_step(self, subtype_xmlid, body):
        """Post the step in the chatter; the dealer's followers are notified."""
        self.ensure_one()
        self.message_post(body=body, subtype_xmlid=subtype_xmlid)

    def _subscribe_dealer(self):
        """The dealer's portal users follow its claims, to hear of each step."""
        # Portal users are read through sudo: staff creating a claim for a dealer
        # may not read them, and a dealer may not read its colleagues.
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [("partner_id", "child_of", self.dealer_id.ids), ("share", "=", True)]
            )
        )
        for claim in self:
            partners = users.filtered(
                lambda user, claim=claim: (
                    user.partner_id.commercial_partner_id == claim.dealer_id
                )
            ).partner_id
            if partners:
                claim.message_subscribe(partner_ids=partners.ids)

    def _approver(self):
        """Who is asked to decide: up the dealer's territory tree, the nearest
        staff member whose rights reach the claim's level; else the dealer's
        salesperson if they do; else the company's approver for that level."""
        self.ensure_one()
        company = self.company_id
        group = LEVEL_GROUPS[self.approval_level]
        candidates = [
            self.dealer_id.with_company(company)._dealer_territory_decider(group),
            self.dealer_id.user_id,
        ]
        if self.approval_level == "finance":
            candidates.append(company.dealer_expense_finance_approver_id)
        else:
            candidates.append(company.dealer_expense_manager_approver_id)
        for user in candidates:
            if (
                user
                and user.active
                and not user.share
                and company in user.company_ids
                and user.has_group(group)
            ):
                return user
        return self.env["res.users"]

    def _schedule_approval(self):
        for claim in self:
            approver = claim._approver()
            if approver:
                claim.activity_schedule(
                    "dealer_expense.mail_activity_type_claim_approval",
                    user_id=approver.id,
                    note=_(
                        "%(dealer)s asks for %(amount)s (%(type)s).",
                        dealer=claim.dealer_id.name,
                        amount=claim._format(claim.requested_amount),
                        type=claim.expense_type_id.name,
                    ),
                )

    def _close_approval_activities(self, feedback):
        self.activity_feedback(
            ["dealer_expense.mail_activity_type_claim_approval"], feedback=feedback
        )

    def _format(self, amount):
        return format_amount(self.env, amount, self.currency_id)

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # -- portal -------------------------------------------------------------------

    def _portal_form_values(self, dealer, form):
        """Check a claim form posted from the portal.

        :param dealer: the dealer partner the claim is for
        :param form: the posted fields, as strings (``product_ids`` and
            ``customer_ids`` as lists)
        :return: ``(values, errors)``: values ready for ``create`` or ``write``
            and, per form field, the message to show next to it
        """
        errors = {}
        values = {
            "dealer_id": dealer.id,
            "description": (form.get("description") or "").strip() or False,
        }
        fund = self.env["dealer.fund"].browse(_to_id(form.get("fund_id")))
        eligible = self.env["dealer.fund"].search(
            [("id", "=", fund.id), ("state", "=", "open"), *_eligible(dealer)]
        )
        if eligible:
            values["fund_id"] = eligible.id
        else:
            errors["fund_id"] = _("Choose a fund from the list.")
        expense_type = self.env["dealer.expense.type"].browse(
            _to_id(form.get("expense_type_id"))
        )
        expense_type = expense_type.exists().filtered("active")
        if not expense_type:
            errors["expense_type_id"] = _("Choose an expense type from the list.")
        elif (
            eligible
            and eligible.expense_type_ids
            and (expense_type not in eligible.expense_type_ids)
        ):
            errors["expense_type_id"] = _(
                "This fund does not pay for %(type)s.", type=expense_type.name
            )
        else:
            values["expense_type_id"] = expense_type.id
        for name in ("date_from", "date_to"):
            try:
                values[name] = fields.Date.to_date(form.get(name) or None)
            except ValueError:
                values[name] = None
            if not values[name]:
                errors[name] = _("Enter a date.")
        if (
            values.get("date_from")
            and values.get("date_to")
            and values["date_from"] > values["date_to"]
        ):
            errors["date_to"] = _("The activity cannot end before it starts.")
        elif eligible and values.get("date_from") and values.get("date_to"):
            if values["date_from"] < eligible.date_from or (
                values["date_to"] > eligible.date_to
            ):
                errors["date_to"] = _(
                    "The activity must take place within the fund's period, "
                    "%(date_from)s – %(date_to)s.",
                    date_from=format_date(self.env, eligible.date_from),
                    date_to=format_date(self.env, eligible.date_to),
                )
        values["territory_id"] = False
        if form.get("territory_id"):
            territory = self.env["dealer.territory"].browse(
                _to_id(form.get("territory_id"))
            )
            if territory in dealer._dealer_territory_choices():
                values["territory_id"] = territory.id
            else:
                errors["territory_id"] = _("Choose a territory from the list.")
        products = (
            self.env["product.product"]
            .sudo()
            .browse([_to_id(value) for value in form.get("product_ids") or []])
        )
        # Portal users do not read product categories; only the ids are compared.
        authorised = dealer.sudo()._dealer_authorised_products()
        if products - authorised:
            errors["product_ids"] = _("Choose the products from the list.")
        values["product_ids"] = [Command.set((products & authorised).ids)]
        customers = self.env["dealer.customer"].search(
            [
                (
                    "id",
                    "in",
                    [_to_id(value) for value in form.get("customer_ids") or []],
                ),
                ("dealer_id", "=", dealer.id),
            ]
        )
        if len(customers) != len(form.get("customer_ids") or []):
            errors["customer_ids"] = _("Choose the customers from the list.")
        values["customer_ids"] = [Command.set(customers.ids)]
        amount = _to_amount(form.get("requested_amount"))
        if amount is None or amount <= 0:
            errors["requested_amount"] = _("Enter the amount you claim, e.g. 1200.50.")
        else:
            values["requested_amount"] = amount
        if form.get("payment_method") in dict(PAYMENT_METHODS):
            values["payment_method"] = form["payment_method"]
        else:
            errors["payment_method"] = _("Choose how you want to be paid.")
        return values, errors

    @api.model
    def _proof_rules(self):
        """What proof files may be, as the claim form says it."""
        return _(
            "Photos (JPEG, PNG, GIF, WebP) or PDF files, up to %(size)s MB each and "
            "%(count)s files per claim.",
            size=MAX_PROOF_BYTES // (1024 * 1024),
            count=MAX_PROOF_FILES,
        )

    @api.model
    def _proof_errors(self, files, room=MAX_PROOF_FILES):
        """What is wrong with proof files, before any is kept.

        :param files: list of ``(file name, bytes)``
        :param room: how many more files the claim may hold
        :return: one message per file refused
        """
        errors = []
        accepted = 0
        for name, data in files:
            if not data:
                continue
            if guess_mimetype(data) not in PROOF_MIMETYPES:
                errors.append(
                    _(
                        "%(file)s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.",
                        file=name,
                    )
                )
            elif len(data) > MAX_PROOF_BYTES:
                errors.append(
                    _(
                        "%(file)s is larger than %(size)s MB.",
                        file=name,
                        size=MAX_PROOF_BYTES // (1024 * 1024),
                    )
                )
            elif accepted >= room:
                errors.append(
                    _(
                        "%(file)s was not added: a claim holds %(count)s files at "
                        "most.",
                        file=name,
                        count=MAX_PROOF_FILES,
                    )
                )
            else:
                accepted += 1
        return errors

    def _add_proof(self, files):
        """Attach proof files to the claim: photos and PDF files only.

        :param files: list of ``(file name, bytes)``
        :return: the messages of the files refused; when any is refused, none
            is added
        """
        self.ensure_one()
        files = [(name, data) for name, data in files if data]
        errors = self._proof_errors(files, MAX_PROOF_FILES - len(self.proof_ids))
        if errors or not files:
            return errors
        # A dealer may not write its claims, so not attach to them either:
        # proof is the one thing it adds, checked above, to a claim whose
        # ownership the caller checked.
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name or _("proof"),
                        "raw": data,
                        "mimetype": guess_mimetype(data),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, data in files
                ]
            )
        )
        self.invalidate_recordset(["proof_ids"])
        # the first proof is the one the approver's form previews
        self.sudo()._message_set_main_attachment_id(attachments)
        return []


def _to_id(value):
    value = str(value or "").strip()
    return int(value) if value.isdigit() else 0


def _to_amount(value):
    try:
        amount = Decimal(AMOUNT_RE.sub("", str(value or "")))
    except InvalidOperation:
        return None
    return float(amount) if amount.is_finite() else None


def _eligible(dealer):
    return [("eligible_dealer_ids", "in", dealer.ids)]
