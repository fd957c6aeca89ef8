from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class DealerPortal(CustomerPortal):
    def _get_portal_dealer(self):
        """Return the dealer the logged-in user works for, or an empty recordset."""
        partner = request.env.user.commercial_partner_id
        return partner if partner.is_dealer else partner.browse()

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["portal_dealer"] = self._get_portal_dealer()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        dealer = self._get_portal_dealer()
        if "dealer_customer_count" in counters:
            values["dealer_customer_count"] = (
                request.env["dealer.customer"].search_count(
                    self._prepare_dealer_customers_domain(dealer)
                )
                if dealer
                else 0
            )
        return values

    def _prepare_dealer_customers_domain(self, dealer):
        return [("dealer_id", "=", dealer.id)]

    def _get_dealer_customer_searchbar_sortings(self):
        return {
            "code": {"label": _("Code"), "order": "code, id"},
            "name": {"label": _("Name"), "order": "name, id"},
            "city": {"label": _("City"), "order": "city, name, id"},
        }

    def _get_dealer_customer_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Name or Code")},
            "city": {"input": "city", "label": _("Search in City")},
        }

    def _get_dealer_customer_search_domain(self, search_in, search):
        if not search:
            return []
        by_name = ["|", ("name", "ilike", search), ("code", "ilike", search)]
        by_city = [("city", "ilike", search)]
        if search_in == "name":
            return by_name
        if search_in == "city":
            return by_city
        return ["|", *by_name, *by_city]

    @http.route("/my/dealer", type="http", auth="user", website=True)
    def portal_my_dealer(self, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer",
                "dealer": dealer,
                # The dealer's own categories; portal users have no read access
                # to product categories, and only their names are shown.
                "categories": dealer.sudo().dealer_category_ids,
                # A sub-dealer may know who it buys from, but has no read access
                # to that partner: only its name is shown.
                "upstream_name": dealer.sudo().dealer_parent_id.name,
                # The person who decides on its orders, sell-out and claims.
                "channel_manager": dealer._dealer_channel_manager().sudo(),
                "customer_count": request.env["dealer.customer"].search_count(
                    self._prepare_dealer_customers_domain(dealer)
                ),
            }
        )
        return request.render("dealer_portal.portal_my_dealer", values)

    @http.route(
        ["/my/dealer/customers", "/my/dealer/customers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_customers(
        self, page=1, sortby="code", search_in="all", search=None, **kw
    ):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Customer = request.env["dealer.customer"]
        sortings = self._get_dealer_customer_searchbar_sortings()
        sortby = sortby if sortby in sortings else "code"
        inputs = self._get_dealer_customer_searchbar_inputs()
        search_in = search_in if search_in in inputs else "all"
        domain = self._prepare_dealer_customers_domain(
            dealer
        ) + self._get_dealer_customer_search_domain(search_in, search)
        pager = portal_pager(
            url="/my/dealer/customers",
            url_args={"sortby": sortby, "search_in": search_in, "search": search},
            total=Customer.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        customers = Customer.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_customers",
                "dealer": dealer,
                "customers": customers,
                "pager": pager,
                "default_url": "/my/dealer/customers",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_customers", values)

    @http.route(
        "/my/dealer/customers/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_customer_new(self, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Customer = request.env["dealer.customer"]
        errors = {}
        if request.httprequest.method == "POST":
            values, errors = Customer._portal_form_values(dealer, post)
            if not errors:
                customer = Customer.create({**values, "dealer_id": dealer.id})
                return request.redirect(f"/my/dealer/customers/{customer.id}?saved=1")
        return self._render_dealer_customer_form(dealer, Customer, post, errors)

    @http.route(
        "/my/dealer/customers/<int:customer_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dealer_customer(self, customer_id, saved=None, **post):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        try:
            self._document_check_access("dealer.customer", customer_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        customer = request.env["dealer.customer"].browse(customer_id)
        errors = {}
        if request.httprequest.method == "POST":
            values, errors = customer._portal_form_values(dealer, post)
            if not errors:
                customer.write(values)
                return request.redirect(f"/my/dealer/customers/{customer.id}?saved=1")
        return self._render_dealer_customer_form(
            dealer, customer, post, errors, saved=bool(saved)
        )

    def _dealer_customer_form_fields(self, customer, post):
        """What each field of the customer form shows: as posted, else as stored."""
        names = [
            "name",
            "code",
            "customer_type",
            "city",
            "street",
            "contact_name",
            "phone",
        ]
        if post:
            return {name: post.get(name, "") for name in [*names, "state_id"]}
        fields = {name: customer[name] or "" for name in names}
        fields["state_id"] = str(customer.state_id.id or "")
        return fields

    def _render_dealer_customer_form(self, dealer, customer, post, errors, saved=False):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_customer",
                "dealer": dealer,
                "customer": customer,
                "form": self._dealer_customer_form_fields(customer, post),
                "errors": errors,
                "saved": saved,
                "customer_types": customer._fields[
                    "customer_type"
                ]._description_selection(request.env),
                "states": request.env["res.country.state"].search(
                    [("country_id.code", "=", "CN")]
                ),
            }
        )
        return request.render("dealer_portal.portal_my_dealer_customer", values)
