from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.dealer_portal.controllers.portal import DealerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.dealer_expense_claim import MAX_PROOF_BYTES, MAX_PROOF_FILES

FORM_FIELDS = (
    "fund_id",
    "expense_type_id",
    "date_from",
    "date_to",
    "territory_id",
    "requested_amount",
    "payment_method",
    "description",
)


class DealerExpensePortal(DealerPortal):
    """Market funds and expense claims of the logged-in dealer."""

    def _prepare_dealer_funds_domain(self, dealer):
        return [
            ("eligible_dealer_ids", "in", dealer.ids),
            ("state", "in", ("open", "closed")),
        ]

    def _prepare_dealer_claims_domain(self, dealer):
        return [("dealer_id", "=", dealer.id)]

    def _get_dealer_claim_searchbar_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "draft": {"label": _("Drafts"), "domain": [("state", "=", "draft")]},
            "submitted": {
                "label": _("In review"),
                "domain": [("state", "=", "submitted")],
            },
            "approved": {
                "label": _("Approved"),
                "domain": [("state", "=", "approved")],
            },
            "written_off": {
                "label": _("Written off"),
                "domain": [("state", "=", "written_off")],
            },
            "closed": {
                "label": _("Rejected or cancelled"),
                "domain": [("state", "in", ("rejected", "cancelled"))],
            },
        }

    def _get_dealer_claim(self, claim_id):
        """The dealer's claim, sudo-ed with the dealer's user, or None.

        Sudo-ed because a dealer may only read its claims: what it may do to them
        goes through the claim's own methods, which the controller calls after
        ``_portal_allows``. The dealer's user stays the author of each step.
        """
        try:
            self._document_check_access("dealer.expense.claim", claim_id)
        except (AccessError, MissingError):
            return None
        return request.env["dealer.expense.claim"].sudo().browse(claim_id)

    def _write_off_documents(self, moves):
        """The dealer's write-off documents: which it may open on its invoices
        page, and the number of each."""
        visible = request.env["account.move"]
        if moves:
            visible = visible.search([("id", "in", moves.ids)])
        return {
            "visible_moves": visible,
            # The number of its own write-off shows on the claim, also while the
            # document itself is not open to the dealer (reset to draft).
            "move_names": {move.id: move.name for move in moves.sudo()},
        }

    # -- dealer home ----------------------------------------------------------------

    @http.route()
    def portal_my_dealer(self, **kw):
        response = super().portal_my_dealer(**kw)
        dealer = self._get_portal_dealer()
        if dealer and hasattr(response, "qcontext"):
            response.qcontext.update(self._dealer_expense_home_values(dealer))
        return response

    def _dealer_expense_home_values(self, dealer):
        funds = request.env["dealer.fund"].search(
            self._prepare_dealer_funds_domain(dealer) + [("state", "=", "open")]
        )
        claims_waiting = request.env["dealer.expense.claim"].search_count(
            self._prepare_dealer_claims_domain(dealer)
            + [("state", "in", ("draft", "submitted", "approved"))]
        )
        return {
            "dealer_funds_available": [
                (currency, sum(group.mapped("available_amount")))
                for currency, group in funds.grouped("currency_id").items()
            ],
            "dealer_fund_count": len(funds),
            "dealer_claims_waiting": claims_waiting,
        }

    # -- funds ----------------------------------------------------------------------

    @http.route(
        ["/my/dealer/funds", "/my/dealer/funds/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_funds(self, page=1, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Fund = request.env["dealer.fund"]
        domain = self._prepare_dealer_funds_domain(dealer)
        pager = portal_pager(
            url="/my/dealer/funds",
            total=Fund.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        funds = Fund.search(
            domain,
            order="state desc, date_to desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_funds",
                "dealer": dealer,
                "funds": funds,
                "pager": pager,
            }
        )
        return request.render("dealer_expense.portal_my_dealer_funds", values)

    @http.route(
        "/my/dealer/funds/<int:fund_id>", type="http", auth="user", website=True
    )
    def portal_my_dealer_fund(self, fund_id, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            fund_sudo = self._document_check_access("dealer.fund", fund_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if fund_sudo.state == "draft":
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_fund",
                "dealer": dealer,
                "fund": fund_sudo,
                **fund_sudo._portal_history(dealer),
            }
        )
        return request.render("dealer_expense.portal_my_dealer_fund", values)

    # -- claims ---------------------------------------------------------------------

    @http.route(
        ["/my/dealer/claims", "/my/dealer/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_claims(self, page=1, filterby="all", **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Claim = request.env["dealer.expense.claim"]
        filters = self._get_dealer_claim_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        domain = (
            self._prepare_dealer_claims_domain(dealer) + filters[filterby]["domain"]
        )
        pager = portal_pager(
            url="/my/dealer/claims",
            url_args={"filterby": filterby},
            total=Claim.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        claims = Claim.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_claims",
                "dealer": dealer,
                "claims": claims,
                **self._write_off_documents(claims.move_id),
                "pager": pager,
                "default_url": "/my/dealer/claims",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("dealer_expense.portal_my_dealer_claims", values)

    @http.route(
        "/my/dealer/claims/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_claim_new(self, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Claim = request.env["dealer.expense.claim"]
        errors = {}
        if request.httprequest.method == "POST":
            form = self._dealer_claim_form_post(post)
            values, errors = Claim._portal_form_values(dealer, form)
            files, file_errors = self._dealer_claim_files()
            file_errors += Claim._proof_errors(files)
            if file_errors:
                errors["proof"] = " ".join(file_errors)
            if not errors:
                # A dealer may not create claims through the ORM: the values
                # were checked and limited to its own dealer above.
                claim = Claim.sudo().create(values)
                proof_errors = claim._add_proof(files)
                return self._after_claim_saved(claim, post, proof_errors)
        return self._render_dealer_claim_form(dealer, Claim, post, errors)

    @http.route(
        "/my/dealer/claims/<int:claim_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_claim_edit(self, claim_id, **post):
        dealer = self._get_portal_dealer()
        claim = dealer and self._get_dealer_claim(claim_id)
        if not claim:
            return request.redirect("/my")
        if not claim._portal_allows("edit"):
            return request.redirect(f"/my/dealer/claims/{claim.id}")
        errors = {}
        if request.httprequest.method == "POST":
            form = self._dealer_claim_form_post(post)
            values, errors = claim._portal_form_values(dealer, form)
            files, file_errors = self._dealer_claim_files()
            file_errors += claim._proof_errors(
                files, MAX_PROOF_FILES - len(claim.proof_ids)
            )
            if file_errors:
                errors["proof"] = " ".join(file_errors)
            if not errors:
                claim.write(values)
                proof_errors = claim._add_proof(files)
                return self._after_claim_saved(claim, post, proof_errors)
        return self._render_dealer_claim_form(dealer, claim, post, errors)

    @http.route(
        "/my/dealer/claims/<int:claim_id>", type="http", auth="user", website=True
    )
    def portal_my_dealer_claim(self, claim_id, error=None, **kw):
        dealer = self._get_portal_dealer()
        claim = dealer and self._get_dealer_claim(claim_id)
        if not claim:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_claim",
                "dealer": dealer,
                "claim": claim,
                **self._write_off_documents(claim.decision_ids.move_id | claim.move_id),
                "submit_problems": claim._submit_problems()
                if claim.state == "draft"
                else [],
                "error": claim._portal_error_message(error),
                "proof_rules": claim._proof_rules(),
            }
        )
        return request.render("dealer_expense.portal_my_dealer_claim", values)

    @http.route(
        "/my/dealer/claims/<int:claim_id>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_claim_action(self, claim_id, action, **post):
        dealer = self._get_portal_dealer()
        claim = dealer and self._get_dealer_claim(claim_id)
        if not claim:
            return request.redirect("/my")
        if action not in ("submit", "cancel", "reopen", "proof"):
            raise request.not_found()
        if not claim._portal_allows(action):
            return request.redirect(f"/my/dealer/claims/{claim.id}?error=state")
        if action == "proof":
            files, file_errors = self._dealer_claim_files()
            file_errors = file_errors or claim._add_proof(files)
            if file_errors:
                return request.redirect(f"/my/dealer/claims/{claim.id}?error=proof")
            return request.redirect(f"/my/dealer/claims/{claim.id}")
        if action == "submit":
            return self._submit_dealer_claim(claim)
        if action == "cancel":
            claim.action_cancel()
        else:
            claim.action_reset_draft()
        return request.redirect(f"/my/dealer/claims/{claim.id}")

    @http.route(
        "/my/dealer/claims/<int:claim_id>/proof/<int:attachment_id>/delete",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_claim_proof_delete(self, claim_id, attachment_id, **post):
        dealer = self._get_portal_dealer()
        claim = dealer and self._get_dealer_claim(claim_id)
        if not claim:
            return request.redirect("/my")
        proof = claim.proof_ids.filtered(lambda att: att.id == attachment_id)
        if not proof:
            raise request.not_found()
        if not claim._portal_allows("delete_proof"):
            return request.redirect(f"/my/dealer/claims/{claim.id}?error=state")
        proof.unlink()
        return request.redirect(f"/my/dealer/claims/{claim.id}")

    @http.route(
        "/my/dealer/claims/<int:claim_id>/proof/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_claim_proof(
        self, claim_id, attachment_id, thumb=None, download=None, **kw
    ):
        """A proof file of the dealer's own claim; anything else is not found."""
        dealer = self._get_portal_dealer()
        claim = dealer and self._get_dealer_claim(claim_id)
        if not claim:
            raise request.not_found()
        proof = claim.proof_ids.filtered(lambda att: att.id == attachment_id)
        if not proof:
            raise request.not_found()
        Binary = request.env["ir.binary"]
        if thumb and proof.mimetype.startswith("image/"):
            stream = Binary._get_image_stream_from(proof, width=480, height=480)
        else:
            stream = Binary._get_stream_from(proof)
        return stream.get_response(as_attachment=bool(download))

    # -- helpers ----------------------------------------------------------------------

    def _dealer_claim_form_post(self, post):
        """The posted form, with the multiple choices as lists."""
        form = {name: post.get(name, "") for name in FORM_FIELDS}
        form["product_ids"] = request.httprequest.form.getlist("product_ids")
        form["customer_ids"] = request.httprequest.form.getlist("customer_ids")
        return form

    def _dealer_claim_files(self):
        """The uploaded proof files as ``(name, bytes)``, each read up to just
        past the size limit, and the messages of the ones too large."""
        files, errors = [], []
        for upload in request.httprequest.files.getlist("proof"):
            if not upload.filename:
                continue
            data = upload.read(MAX_PROOF_BYTES + 1)
            if len(data) > MAX_PROOF_BYTES:
                errors.append(
                    _(
                        "%(file)s is larger than %(size)s MB.",
                        file=upload.filename,
                        size=MAX_PROOF_BYTES // (1024 * 1024),
                    )
                )
            else:
                files.append((upload.filename, data))
        return files, errors

    def _after_claim_saved(self, claim, post, proof_errors):
        if proof_errors:
            return request.redirect(f"/my/dealer/claims/{claim.id}?error=proof")
        if post.get("submit"):
            return self._submit_dealer_claim(claim)
        return request.redirect(f"/my/dealer/claims/{claim.id}")

    def _submit_dealer_claim(self, claim):
        try:
            with request.env.cr.savepoint():
                claim.action_submit()
        except UserError:
            return request.redirect(f"/my/dealer/claims/{claim.id}?error=submit")
        return request.redirect(f"/my/dealer/claims/{claim.id}")

    def _dealer_claim_form_fields(self, claim, post):
        """What each field of the claim form shows: as posted, else as stored."""
        if post:
            form = {name: post.get(name, "") for name in FORM_FIELDS}
            form["product_ids"] = [
                int(value)
                for value in request.httprequest.form.getlist("product_ids")
                if value.isdigit()
            ]
            form["customer_ids"] = [
                int(value)
                for value in request.httprequest.form.getlist("customer_ids")
                if value.isdigit()
            ]
            return form
        if not claim:
            today = fields.Date.context_today(claim)
            return {
                "date_from": str(today),
                "date_to": str(today),
                "payment_method": "credit_note",
                "product_ids": [],
                "customer_ids": [],
            }
        return {
            "fund_id": str(claim.fund_id.id),
            "expense_type_id": str(claim.expense_type_id.id),
            "date_from": str(claim.date_from),
            "date_to": str(claim.date_to),
            "territory_id": str(claim.territory_id.id or ""),
            "requested_amount": "%.2f" % claim.requested_amount,
            "payment_method": claim.payment_method,
            "description": claim.description or "",
            "product_ids": claim.product_ids.ids,
            "customer_ids": claim.customer_ids.ids,
        }

    def _render_dealer_claim_form(self, dealer, claim, post, errors):
        funds = request.env["dealer.fund"].search(
            self._prepare_dealer_funds_domain(dealer) + [("state", "=", "open")]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_claim_new" if not claim else "dealer_claim_edit",
                "dealer": dealer,
                "claim": claim,
                "form": self._dealer_claim_form_fields(claim, post),
                "errors": errors,
                "funds": funds,
                "fund_type_ids": {fund.id: fund.expense_type_ids.ids for fund in funds},
                "expense_types": request.env["dealer.expense.type"].search([]),
                "territories": dealer._dealer_territory_choices(),
                # Portal users do not read product categories: the dealer's own
                # products are found through them.
                "products": dealer.sudo()._dealer_authorised_products(),
                "customers": request.env["dealer.customer"].search(
                    [("dealer_id", "=", dealer.id)]
                ),
                "payment_methods": request.env["dealer.expense.claim"]
                ._fields["payment_method"]
                ._description_selection(request.env),
                "proof_rules": request.env["dealer.expense.claim"]._proof_rules(),
            }
        )
        return request.render("dealer_expense.portal_my_dealer_claim_form", values)
