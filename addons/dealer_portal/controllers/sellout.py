import logging

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import DealerPortal

_logger = logging.getLogger(__name__)

# What a multipart request holds besides the file itself, at most.
MULTIPART_OVERHEAD = 64 * 1024
LINE_FIELDS = (
    "date",
    "product_code",
    "quantity",
    "unit_price",
    "amount",
    "customer_code",
    "customer_name",
    "customer_type",
    "province",
    "city",
    "lot",
    "doc_ref",
)


class DealerSelloutPortal(DealerPortal):
    """Sell-out reporting, the dealer's stock and its product codes."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dealer_sellout_draft_count" in counters:
            dealer = self._get_portal_dealer()
            values["dealer_sellout_draft_count"] = (
                request.env["dealer.sellout.batch"].search_count(
                    [("dealer_id", "=", dealer.id), ("state", "=", "draft")]
                )
                if dealer
                else 0
            )
        return values

    def _prepare_dealer_batches_domain(self, dealer):
        return [("dealer_id", "=", dealer.id)]

    def _get_dealer_batch(self, batch_id):
        """The dealer's batch, sudo-ed, or None for anything else.

        Sudo-ed because a dealer may not write its batches itself: submitting,
        cancelling and correcting lines go through the batch's own methods.
        """
        try:
            return self._document_check_access("dealer.sellout.batch", batch_id)
        except (AccessError, MissingError):
            return None

    def _get_dealer_batch_line(self, batch, line_id):
        """A draft line of the (already checked, sudo-ed) batch, or None."""
        line = batch.line_ids.search(
            [("id", "=", line_id), ("batch_id", "=", batch.id), ("state", "=", "draft")]
        )
        return line or None

    # -- batches ------------------------------------------------------------

    @http.route(
        ["/my/dealer/sellout", "/my/dealer/sellout/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_sellout(self, page=1, filterby="all", error=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        return self._render_batches(dealer, page, filterby, error)

    def _render_batches(self, dealer, page=1, filterby="all", error=None, status=200):
        Batch = request.env["dealer.sellout.batch"]
        filters = {
            "all": {"label": _("All"), "domain": []},
            "draft": {"label": _("To submit"), "domain": [("state", "=", "draft")]},
            "submitted": {
                "label": _("In review"),
                "domain": [("state", "=", "submitted")],
            },
            "done": {"label": _("Done"), "domain": [("state", "=", "done")]},
        }
        filterby = filterby if filterby in filters else "all"
        domain = (
            self._prepare_dealer_batches_domain(dealer) + filters[filterby]["domain"]
        )
        pager = portal_pager(
            url="/my/dealer/sellout",
            url_args={"filterby": filterby},
            total=Batch.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        batches = Batch.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_sellout",
                "dealer": dealer,
                "batches": batches,
                "pager": pager,
                "default_url": "/my/dealer/sellout",
                "searchbar_filters": filters,
                "filterby": filterby,
                "error": error,
                "max_upload_mb": Batch._max_upload_bytes(dealer) // (1024 * 1024),
            }
        )
        return request.render(
            "dealer_portal.portal_my_dealer_sellout", values, status=status
        )

    @http.route(
        "/my/dealer/sellout/upload",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_sellout_upload(self, file=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        if not file or not file.filename:
            return self._render_batches(
                dealer, error=_("Choose a file to upload."), status=400
            )
        Batch = request.env["dealer.sellout.batch"]
        limit = Batch._max_upload_bytes(dealer)
        # Refused on the size the request declares, before the file is read;
        # then never more than the limit is read.
        declared = request.httprequest.content_length or 0
        too_large = declared > limit + MULTIPART_OVERHEAD
        content = b"" if too_large else file.read(limit + 1)
        if too_large or len(content) > limit:
            _logger.info(
                "Sell-out upload of dealer %s, file %r refused: %s bytes over %s",
                dealer.dealer_code,
                file.filename,
                declared if too_large else len(content),
                limit,
            )
            return self._render_batches(
                dealer, error=Batch._too_large_message(dealer), status=413
            )
        try:
            batch = Batch._upload(dealer, file.filename, content)
        except UserError as err:
            request.env.cr.rollback()
            return self._render_batches(dealer, error=err.args[0], status=400)
        return request.redirect(f"/my/dealer/sellout/{batch.id}")

    @http.route(
        "/my/dealer/sellout/template.xlsx", type="http", auth="user", website=True
    )
    def portal_my_dealer_sellout_template(self, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        # The template lists the dealer's own products, which a portal user
        # cannot read by itself.
        content = request.env["dealer.sellout.batch"].sudo()._template_xlsx(dealer)
        name = _("sell-out template %(code)s.xlsx", code=dealer.dealer_code)
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    @http.route(
        "/my/dealer/sellout/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_sellout_new(self, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        error = None
        if request.httprequest.method == "POST":
            Batch = request.env["dealer.sellout.batch"]
            try:
                rows = Batch._rows_from_form(dealer, post)
                batch = Batch._from_rows(dealer, "form", rows)
            except UserError as err:
                request.env.cr.rollback()
                error = err.args[0]
            else:
                return request.redirect(f"/my/dealer/sellout/{batch.id}")
        values = self._prepare_portal_layout_values()
        # The dealer picks among its own products and customers.
        products = dealer.sudo()._dealer_authorised_products()
        values.update(
            {
                "page_name": "dealer_sellout_new",
                "dealer": dealer,
                "products": products,
                "customers": request.env["dealer.customer"].search(
                    [("dealer_id", "=", dealer.id)]
                ),
                "form": post,
                "row_count": max(
                    5, len({k.split("-")[1] for k in post if k.startswith("row-")})
                ),
                "error": error,
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_sellout_new", values)

    @http.route(
        [
            "/my/dealer/sellout/<int:batch_id>",
            "/my/dealer/sellout/<int:batch_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_sellout_batch(self, batch_id, page=1, show="all", **kw):
        dealer = self._get_portal_dealer()
        batch = dealer and self._get_dealer_batch(batch_id)
        if not batch:
            return request.redirect("/my")
        Line = request.env["dealer.sellout.line"].sudo()
        domain = [("batch_id", "=", batch.id)]
        if show == "problems":
            domain += [
                "|",
                ("error_message", "!=", False),
                ("issue_ids.state", "=", "open"),
            ]
        pager = portal_pager(
            url=f"/my/dealer/sellout/{batch.id}",
            url_args={"show": show},
            total=Line.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        lines = Line.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_sellout_batch",
                "dealer": dealer,
                "batch": batch,
                "lines": lines,
                "pager": pager,
                "show": show,
                "error": kw.get("error"),
                "rules": request.env["dealer.sellout.issue"]._rule_help(),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_sellout_batch", values)

    @http.route(
        "/my/dealer/sellout/<int:batch_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_sellout_submit(self, batch_id, **kw):
        dealer = self._get_portal_dealer()
        batch = dealer and self._get_dealer_batch(batch_id)
        if not batch:
            return request.redirect("/my")
        try:
            batch.action_submit()
        except UserError as err:
            request.env.cr.rollback()
            return self.portal_my_dealer_sellout_batch(batch_id, error=err.args[0])
        return request.redirect(f"/my/dealer/sellout/{batch.id}")

    @http.route(
        "/my/dealer/sellout/<int:batch_id>/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_sellout_cancel(self, batch_id, **kw):
        dealer = self._get_portal_dealer()
        batch = dealer and self._get_dealer_batch(batch_id)
        if not batch:
            return request.redirect("/my")
        try:
            batch.action_cancel()
        except UserError as err:
            request.env.cr.rollback()
            return self.portal_my_dealer_sellout_batch(batch_id, error=err.args[0])
        return request.redirect("/my/dealer/sellout")

    @http.route(
        "/my/dealer/sellout/<int:batch_id>/line/<int:line_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_sellout_line(self, batch_id, line_id, **post):
        dealer = self._get_portal_dealer()
        batch = dealer and self._get_dealer_batch(batch_id)
        line = batch and self._get_dealer_batch_line(batch, line_id)
        if not line:
            return request.redirect("/my")
        if request.httprequest.method == "POST":
            line._correct({name: post.get(name, "") for name in LINE_FIELDS})
            return request.redirect(f"/my/dealer/sellout/{batch.id}?show=problems")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_sellout_line",
                "dealer": dealer,
                "batch": batch,
                "line": line,
                "form": line._form_values(),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_sellout_line", values)

    @http.route(
        "/my/dealer/sellout/<int:batch_id>/line/<int:line_id>/drop",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_sellout_line_drop(self, batch_id, line_id, **kw):
        dealer = self._get_portal_dealer()
        batch = dealer and self._get_dealer_batch(batch_id)
        line = batch and self._get_dealer_batch_line(batch, line_id)
        if not line:
            return request.redirect("/my")
        line.unlink()
        batch._check_lines()
        return request.redirect(f"/my/dealer/sellout/{batch.id}?show=problems")

    # -- stock ----------------------------------------------------------------

    @http.route(
        "/my/dealer/inventory", type="http", auth="user", website=True, readonly=True
    )
    def portal_my_dealer_inventory(self, date=None, counted=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            at_date = fields.Date.to_date(date) if date else None
        except ValueError:
            at_date = None
        at_date = at_date or fields.Date.context_today(request.env.user)
        stock = request.env["dealer.stock.daily"]._stock_on_hand(dealer, at_date)
        # Product and lot names of the dealer's own stock.
        products = request.env["product.product"].sudo().browse({p for p, _l in stock})
        lots = request.env["stock.lot"].sudo().browse({lot for _p, lot in stock if lot})
        rows = sorted(
            (
                (products.browse(product_id), lots.browse(lot_id), quantity)
                for (product_id, lot_id), quantity in stock.items()
            ),
            key=lambda row: (row[0].default_code or "", row[1].name or ""),
        )
        transfers = request.env["dealer.sellout.line"].search(
            [("transfer_dealer_id", "=", dealer.id), ("transfer_state", "=", "pending")]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_inventory",
                "dealer": dealer,
                "rows": rows,
                "at_date": at_date,
                "transfers": transfers.sudo(),
                "counted": request.env["dealer.stocktake"].search(
                    [("id", "=", int(counted)), ("dealer_id", "=", dealer.id)]
                )
                if counted and str(counted).isdigit()
                else None,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_inventory", values)

    @http.route(
        "/my/dealer/inventory/count",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_stocktake(self, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        today = fields.Date.context_today(request.env.user)
        error = None
        if request.httprequest.method == "POST":
            Stocktake = request.env["dealer.stocktake"]
            try:
                # The dealer's products, which it cannot read by itself.
                stocktake = Stocktake.sudo()._from_portal(dealer, today, post)
                stocktake.action_validate()
            except UserError as err:
                request.env.cr.rollback()
                error = err.args[0]
            else:
                return request.redirect(f"/my/dealer/inventory?counted={stocktake.id}")
        stock = request.env["dealer.stock.daily"]._stock_on_hand(dealer, today)
        products = request.env["product.product"].sudo().browse({p for p, _l in stock})
        lots = request.env["stock.lot"].sudo().browse({lot for _p, lot in stock if lot})
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_stocktake",
                "dealer": dealer,
                "rows": sorted(
                    (
                        (products.browse(product_id), lots.browse(lot_id), quantity)
                        for (product_id, lot_id), quantity in stock.items()
                    ),
                    key=lambda row: (row[0].default_code or "", row[1].name or ""),
                ),
                "error": error,
                "today": today,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_stocktake", values)

    @http.route(
        [
            "/my/dealer/inventory/ledger",
            "/my/dealer/inventory/ledger/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_dealer_ledger(self, page=1, product_id=None, lot_id=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Move = request.env["dealer.stock.move"]
        domain = [("dealer_id", "=", dealer.id)]
        url_args = {}
        if product_id and str(product_id).isdigit():
            domain.append(("product_id", "=", int(product_id)))
            url_args["product_id"] = product_id
        if lot_id and str(lot_id).isdigit():
            domain.append(("lot_id", "=", int(lot_id)))
            url_args["lot_id"] = lot_id
        pager = portal_pager(
            url="/my/dealer/inventory/ledger",
            url_args=url_args,
            total=Move.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        moves = Move.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_ledger",
                "dealer": dealer,
                # product, lot and customer names of the dealer's own movements
                "moves": moves.sudo(),
                "pager": pager,
                "total": Move._read_group(domain, [], ["quantity:sum"])[0][0]
                if url_args
                else None,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_ledger", values)

    @http.route(
        "/my/dealer/inventory/transfer/<int:line_id>/<string:decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_transfer(self, line_id, decision, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        line = request.env["dealer.sellout.line"].search(
            [
                ("id", "=", line_id),
                ("transfer_dealer_id", "=", dealer.id),
                ("transfer_state", "=", "pending"),
            ]
        )
        if not line or decision not in ("confirm", "refuse"):
            return request.redirect("/my")
        # The line is the upstream dealer's; the receiving dealer only records
        # its own inbound on it.
        if decision == "confirm":
            line.sudo()._confirm_transfer()
        else:
            line.sudo()._refuse_transfer()
        return request.redirect("/my/dealer/inventory")

    # -- product codes --------------------------------------------------------

    @http.route(
        "/my/dealer/codes",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_codes(self, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Code = request.env["dealer.product.code"]
        products = dealer.sudo()._dealer_authorised_products()
        error = None
        if request.httprequest.method == "POST":
            try:
                Code._portal_add(
                    dealer, products, post.get("code"), post.get("product_id")
                )
            except UserError as err:
                request.env.cr.rollback()
                error = err.args[0]
            else:
                return request.redirect("/my/dealer/codes")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_codes",
                "dealer": dealer,
                "codes": Code.search([("dealer_id", "=", dealer.id)]).sudo(),
                "products": products,
                "error": error,
                "form": post,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_codes", values)

    @http.route(
        "/my/dealer/codes/<int:code_id>/delete",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_code_delete(self, code_id, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        code = request.env["dealer.product.code"].search(
            [("id", "=", code_id), ("dealer_id", "=", dealer.id)]
        )
        if not code:
            return request.redirect("/my")
        code.unlink()
        return request.redirect("/my/dealer/codes")
