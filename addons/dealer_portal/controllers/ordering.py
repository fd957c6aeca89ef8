from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.product_template import format_quantity
from .portal import DealerPortal

STATEMENT_REPORT = "report.dealer_portal.report_dealer_statement"


class DealerOrderingPortal(DealerPortal):
    """Dealers order, follow their orders and deliveries, and read their account."""

    _catalog_per_page = 24

    # ------------------------------------------------------------------
    # Shared helpers

    def _dealer_flash(self, text, kind="danger", product_id=None):
        """Keep a message for the next page the dealer sees.

        :param product_id: the catalog product the message is about, shown next
            to it rather than on top of the page
        """
        request.session["dealer_portal_message"] = {
            "text": text,
            "kind": kind,
            "product_id": product_id,
        }

    def _dealer_pop_flash(self):
        return request.session.pop("dealer_portal_message", None)

    def _dealer_local_url(self, url, default):
        """Return ``url`` when it stays inside the dealer centre, else ``default``."""
        if url and url.startswith("/my/dealer") and "//" not in url and "\\" not in url:
            return url
        return default

    def _prepare_dealer_orders_domain(self, dealer):
        return [
            ("partner_id.commercial_partner_id", "=", dealer.id),
            ("state", "in", ["sent", "sale", "cancel"]),
        ]

    def _prepare_dealer_open_orders_domain(self, dealer):
        """Orders still on their way: waiting, or confirmed and not all delivered."""
        return [
            ("partner_id.commercial_partner_id", "=", dealer.id),
            "|",
            "&",
            ("state", "=", "sent"),
            ("dealer_approval_state", "=", "to_approve"),
            "&",
            ("state", "=", "sale"),
            ("delivery_status", "!=", "full"),
        ]

    def _prepare_dealer_deliveries_domain(self, dealer):
        return [
            ("partner_id.commercial_partner_id", "=", dealer.id),
            ("picking_type_code", "=", "outgoing"),
            ("state", "!=", "cancel"),
        ]

    def _prepare_dealer_receipts_domain(self, dealer, state=None):
        domain = [("dealer_id", "=", dealer.id)]
        if state:
            domain.append(("state", "=", state))
        return domain

    # ------------------------------------------------------------------
    # Home

    @http.route()
    def portal_my_dealer(self, **kw):
        response = super().portal_my_dealer(**kw)
        dealer = self._get_portal_dealer()
        if dealer and response.is_qweb:
            response.qcontext.update(self._prepare_dealer_home_ordering_values(dealer))
        return response

    def _prepare_dealer_home_ordering_values(self, dealer):
        SaleOrder = request.env["sale.order"]
        cart = SaleOrder._dealer_cart(dealer)
        return {
            "open_order_count": SaleOrder.search_count(
                self._prepare_dealer_open_orders_domain(dealer)
            ),
            "waiting_order_count": SaleOrder.search_count(
                [
                    ("partner_id.commercial_partner_id", "=", dealer.id),
                    ("state", "=", "sent"),
                    ("dealer_approval_state", "=", "to_approve"),
                ]
            ),
            "receipt_count": request.env["dealer.receipt"].search_count(
                self._prepare_dealer_receipts_domain(dealer, "draft")
            ),
            "cart_quantity": len(cart.order_line),
            "credit": dealer._dealer_credit(),
        }

    # ------------------------------------------------------------------
    # Catalog and cart

    def _prepare_dealer_catalog_domain(self, dealer, search=None, category_id=None):
        domain = list(dealer._dealer_product_domain())
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("default_code", "ilike", search),
                ("barcode", "=", search),
            ]
        if category_id:
            domain.append(("categ_id", "child_of", category_id))
        return domain

    @http.route(
        ["/my/dealer/catalog", "/my/dealer/catalog/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_catalog(self, page=1, search=None, category=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        # Portal users may not read products or categories; every search below
        # is bound to the dealer's authorised, saleable products.
        Product = request.env["product.product"].sudo()
        all_products_domain = self._prepare_dealer_catalog_domain(dealer)
        categories = (
            request.env["product.category"]
            .sudo()
            .browse(
                categ.id
                for [categ] in Product._read_group(all_products_domain, ["categ_id"])
            )
        )
        category = categories.filtered(lambda categ: str(categ.id) == category)
        domain = self._prepare_dealer_catalog_domain(dealer, search, category.id)
        url_args = {"search": search, "category": category.id or None}
        pager = portal_pager(
            url="/my/dealer/catalog",
            url_args=url_args,
            total=Product.search_count(domain),
            page=page,
            step=self._catalog_per_page,
        )
        products = Product.search(
            domain,
            order="categ_id, default_code, name, id",
            limit=self._catalog_per_page,
            offset=pager["offset"],
        )
        cart = request.env["sale.order"]._dealer_cart(dealer)
        pricelist = dealer.sudo().property_product_pricelist
        message, product_message = self._dealer_pop_flash(), None
        if message and message.get("product_id") in {str(id_) for id_ in products.ids}:
            # Shown next to the product the dealer just added.
            message, product_message = None, message
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_catalog",
                "format_quantity": format_quantity,
                "dealer": dealer,
                "products": products,
                "prices": pricelist._get_products_price(
                    products, quantity=1.0, currency=pricelist.currency_id
                ),
                "currency": pricelist.currency_id or request.env.company.currency_id,
                "availability": products._dealer_availability(),
                "in_cart": {
                    line.product_id.id: line.product_uom_qty for line in cart.order_line
                },
                "cart": cart,
                "categories": categories.sorted("complete_name"),
                "category": category,
                "search": search or "",
                "pager": pager,
                "catalog_url": request.httprequest.full_path.rstrip("?"),
                "message": message,
                "product_message": product_message,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_catalog", values)

    @http.route(
        "/my/dealer/cart/update",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_cart_update(
        self, product_id=None, quantity=None, return_url=None, **kw
    ):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        return_url = self._dealer_local_url(return_url, "/my/dealer/cart")
        cart = request.env["sale.order"]._dealer_cart(dealer, create=True)
        product_key = str(product_id or "")
        try:
            cart._dealer_cart_set_quantity(product_id, quantity)
        except UserError as error:
            self._dealer_flash(error.args[0], product_id=product_key)
        else:
            self._dealer_flash(_("Your cart is updated."), "success", product_key)
        if return_url.startswith("/my/dealer/catalog") and product_key.isdigit():
            # Back to the product the dealer was at, not to the top of the list.
            return_url += f"#product-{product_key}"
        return request.redirect(return_url)

    @http.route("/my/dealer/cart", type="http", auth="user", website=True)
    def portal_my_dealer_cart(self, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        cart = request.env["sale.order"]._dealer_cart(dealer)
        company = request.env.company
        amount = (
            cart.currency_id._convert(
                cart.amount_total, company.currency_id, company, cart.date_order
            )
            if cart
            else 0.0
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_cart",
                "format_quantity": format_quantity,
                "dealer": dealer,
                "cart": cart,
                "addresses": cart._dealer_delivery_addresses() if cart else dealer,
                "credit": dealer._dealer_credit(amount=amount),
                "approval": company.dealer_order_approval,
                "message": self._dealer_pop_flash(),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_cart", values)

    @http.route(
        "/my/dealer/cart/place",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_cart_place(
        self, client_order_ref="", shipping_id=None, note="", **kw
    ):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        cart = request.env["sale.order"]._dealer_cart(dealer)
        if not cart:
            self._dealer_flash(_("Your cart is empty."))
            return request.redirect("/my/dealer/cart")
        try:
            cart._dealer_place_order(client_order_ref, shipping_id, note)
        except UserError as error:
            self._dealer_flash(error.args[0])
            return request.redirect("/my/dealer/cart")
        # The dealer follows its order: no access token in its address.
        return request.redirect(f"/my/orders/{cart.id}?placed=1")

    @http.route(
        "/my/dealer/orders/<int:order_id>/reorder",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_reorder(self, order_id, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            order_sudo = self._document_check_access("sale.order", order_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if order_sudo.partner_id.commercial_partner_id != dealer:
            return request.redirect("/my")
        cart = request.env["sale.order"]._dealer_cart(dealer, create=True)
        left_out = order_sudo._dealer_reorder(cart)
        if left_out:
            self._dealer_flash(
                _(
                    "Added to your cart, except what you may no longer order: "
                    "%(products)s.",
                    products=", ".join(left_out),
                ),
                "warning",
            )
        else:
            self._dealer_flash(
                _("The products of %(order)s are in your cart.", order=order_sudo.name),
                "success",
            )
        return request.redirect("/my/dealer/cart")

    # ------------------------------------------------------------------
    # Orders

    @http.route(
        ["/my/dealer/orders", "/my/dealer/orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_orders(self, page=1, filterby="all", **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        SaleOrder = request.env["sale.order"]
        filters = {
            "all": {
                "label": _("All"),
                "domain": self._prepare_dealer_orders_domain(dealer),
            },
            "open": {
                "label": _("Open"),
                "domain": self._prepare_dealer_open_orders_domain(dealer),
            },
        }
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/dealer/orders",
            url_args={"filterby": filterby},
            total=SaleOrder.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        orders = SaleOrder.search(
            domain,
            order="date_order desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_orders",
                "dealer": dealer,
                # The list shows the order's delivery and invoice status, which
                # the dealer may read on each order's own page.
                "orders": orders.sudo(),
                "pager": pager,
                "default_url": "/my/dealer/orders",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_orders", values)

    # ------------------------------------------------------------------
    # Deliveries and receipt confirmation

    @http.route(
        ["/my/dealer/deliveries", "/my/dealer/deliveries/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_deliveries(self, page=1, filterby="all", **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Picking = request.env["stock.picking"]
        base = self._prepare_dealer_deliveries_domain(dealer)
        filters = {
            "all": {"label": _("All"), "domain": base},
            "to_confirm": {
                "label": _("To confirm"),
                "domain": [*base, ("dealer_receipt_ids.state", "=", "draft")],
            },
            "on_the_way": {
                "label": _("On the way"),
                "domain": [*base, ("state", "!=", "done")],
            },
        }
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/dealer/deliveries",
            url_args={"filterby": filterby},
            total=Picking.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        pickings = Picking.search(
            domain,
            order="date_done desc, scheduled_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_deliveries",
                "dealer": dealer,
                # Orders and receipts of these deliveries are the dealer's own.
                "pickings": pickings.sudo(),
                "pager": pager,
                "default_url": "/my/dealer/deliveries",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_deliveries", values)

    def _dealer_delivery_check_access(self, dealer, picking_id):
        """Return the dealer's delivery in sudo, or raise AccessError."""
        picking_sudo = self._document_check_access("stock.picking", picking_id)
        if (
            picking_sudo.partner_id.commercial_partner_id != dealer
            or picking_sudo.picking_type_code != "outgoing"
        ):
            raise AccessError(_("This delivery is not yours."))
        return picking_sudo

    @http.route(
        "/my/dealer/deliveries/<int:picking_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_delivery(self, picking_id, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            picking_sudo = self._dealer_delivery_check_access(dealer, picking_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._render_dealer_delivery(dealer, picking_sudo)

    @http.route(
        "/my/dealer/deliveries/<int:picking_id>/receipt",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_receipt_confirm(self, picking_id, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            picking_sudo = self._dealer_delivery_check_access(dealer, picking_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        receipt = request.env["dealer.receipt"].search(
            [
                *self._prepare_dealer_receipts_domain(dealer),
                ("picking_id", "=", picking_sudo.id),
            ]
        )
        if not receipt:
            return request.redirect(f"/my/dealer/deliveries/{picking_sudo.id}")
        try:
            errors = receipt._portal_confirm(post)
        except UserError as error:
            self._dealer_flash(error.args[0])
            return request.redirect(f"/my/dealer/deliveries/{picking_sudo.id}")
        if errors:
            return self._render_dealer_delivery(dealer, picking_sudo, post, errors)
        self._dealer_flash(_("Thank you: your receipt is confirmed."), "success")
        return request.redirect(f"/my/dealer/deliveries/{picking_sudo.id}")

    def _render_dealer_delivery(self, dealer, picking_sudo, post=None, errors=None):
        receipt = picking_sudo.dealer_receipt_ids[:1]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_delivery",
                "format_quantity": format_quantity,
                "dealer": dealer,
                "picking": picking_sudo,
                "receipt": receipt,
                "reasons": request.env["dealer.receipt.line"]
                ._fields["shortfall_reason"]
                ._description_selection(request.env),
                "form": post or {},
                "errors": errors or {},
                "message": self._dealer_pop_flash(),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_delivery", values)

    # ------------------------------------------------------------------
    # Statement

    def _dealer_statement(self, dealer, date_from=None, date_to=None):
        Report = request.env[STATEMENT_REPORT]
        date_from, date_to = Report._get_period(date_from, date_to)
        return Report._get_statement(dealer, date_from, date_to)

    @http.route(
        "/my/dealer/statement", type="http", auth="user", website=True, readonly=True
    )
    def portal_my_dealer_statement(self, date_from=None, date_to=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        statement = self._dealer_statement(dealer, date_from, date_to)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_statement",
                "dealer": dealer,
                "statement": statement,
                "periods": self._dealer_statement_periods(),
                "query": {
                    "date_from": statement["date_from"].isoformat(),
                    "date_to": statement["date_to"].isoformat(),
                },
            }
        )
        return request.render("dealer_portal.portal_my_dealer_statement", values)

    def _dealer_statement_periods(self):
        """Quick periods offered above the statement: label, first and last day."""
        Report = request.env[STATEMENT_REPORT]
        today = Report._get_period()[1]
        month_start = today.replace(day=1)
        last_month_end = month_start.fromordinal(month_start.toordinal() - 1)
        return [
            (_("This month"), month_start, today),
            (_("Last month"), last_month_end.replace(day=1), last_month_end),
            (_("This year"), today.replace(month=1, day=1), today),
            (
                _("Last year"),
                today.replace(year=today.year - 1, month=1, day=1),
                today.replace(year=today.year - 1, month=12, day=31),
            ),
        ]

    @http.route(
        "/my/dealer/statement.xlsx",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_dealer_statement_xlsx(self, date_from=None, date_to=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Report = request.env[STATEMENT_REPORT]
        statement = self._dealer_statement(dealer, date_from, date_to)
        content = Report._get_xlsx(statement)
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    content_disposition(Report._get_filename(statement, "xlsx")),
                ),
            ],
        )

    @http.route(
        "/my/dealer/statement.pdf",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_dealer_statement_pdf(self, date_from=None, date_to=None, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Report = request.env[STATEMENT_REPORT]
        date_from, date_to = Report._get_period(date_from, date_to)
        # Printing reads the company's layout and paper format, which portal
        # users may not read; the report covers the caller's own dealer only.
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "dealer_portal.action_report_dealer_statement",
                [dealer.id],
                data={
                    "date_from": date_from.isoformat(),
                    "date_to": date_to.isoformat(),
                    "lang": request.env.lang,
                },
            )
        )
        filename = Report._get_filename({"dealer": dealer, "date_to": date_to}, "pdf")
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
