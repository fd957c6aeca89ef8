from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CUSTOMER_TYPES = [
    ("terminal", "Retail Terminal"),
    ("sub_distributor", "Sub-distributor"),
    ("key_account", "Key Account"),
    ("other", "Other"),
]


class DealerCustomer(models.Model):
    _name = "dealer.customer"
    _description = "Downstream Customer"
    _inherit = ["mail.thread"]
    _order = "dealer_id, code, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        tracking=True,
        help="The dealer's own code for this customer, unique per dealer.",
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_dealer", "=", True)],
        tracking=True,
        help="The dealer that sells to this customer and reports its sales.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    customer_type = fields.Selection(
        CUSTOMER_TYPES, string="Type", required=True, default="terminal", tracking=True
    )
    country_id = fields.Many2one(
        "res.country", default=lambda self: self.env.ref("base.cn", False)
    )
    state_id = fields.Many2one(
        "res.country.state",
        string="Province",
        domain="[('country_id', '=?', country_id)]",
        tracking=True,
    )
    city = fields.Char(tracking=True)
    street = fields.Char(string="Address")
    contact_name = fields.Char(string="Contact")
    phone = fields.Char()
    territory_id = fields.Many2one(
        "dealer.territory",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Found from the province and city; set it by hand for a place the "
        "territory tree does not name.",
    )
    in_dealer_territory = fields.Boolean(
        string="Inside Dealer Territory", compute="_compute_in_dealer_territory"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer Account",
        domain=[("is_dealer", "=", True)],
        index="btree_not_null",
        groups="dealer_portal.group_channel_user",
        help="Set when this customer is itself one of our dealers, such as a "
        "sub-distributor: what it buys here becomes its own inbound stock.",
    )
    active = fields.Boolean(default=True)
    note = fields.Text()

    _sql_constraints = [
        (
            "code_dealer_uniq",
            "unique(dealer_id, code)",
            "A dealer cannot have two customers with the same code.",
        ),
    ]

    @api.depends("code")
    def _compute_display_name(self):
        for customer in self:
            customer.display_name = (
                f"[{customer.code}] {customer.name}" if customer.code else customer.name
            )

    @api.depends("state_id", "city")
    def _compute_territory_id(self):
        located = self.env["dealer.territory"]._locate(
            (customer.state_id.id, customer.city or "") for customer in self
        )
        for customer in self:
            customer.territory_id = located.get(
                (customer.state_id.id, customer.city or "")
            )

    @api.depends("dealer_id.dealer_territory_ids", "territory_id")
    def _compute_in_dealer_territory(self):
        inside = self.env["res.partner"]._dealer_places_authorised(
            (customer.dealer_id.id, customer.territory_id.id) for customer in self
        )
        for customer in self:
            customer.in_dealer_territory = (
                customer.dealer_id.id,
                customer.territory_id.id,
            ) in inside

    @api.constrains("dealer_id")
    def _check_dealer_id(self):
        for customer in self:
            if not customer.dealer_id.is_dealer:
                raise ValidationError(
                    _(
                        "%(partner)s is not a dealer: only dealers keep a customer "
                        "registry.",
                        partner=customer.dealer_id.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "dealer_id" in vals:
            # Record rules were checked on the customers as they were; a portal
            # user must not hand its customer over to another dealer either.
            self.check_access("write")
        return res

    def _portal_form_values(self, dealer, form):
        """Check a customer form posted from the portal.

        :param dealer: the dealer partner the customer belongs to
        :param form: the posted fields, as strings
        :return: ``(values, errors)``: values ready for ``create`` or ``write``
            and, per form field, the message to show next to it
        """
        values = {
            "name": (form.get("name") or "").strip(),
            "code": (form.get("code") or "").strip() or False,
            "customer_type": form.get("customer_type") or "terminal",
            "city": (form.get("city") or "").strip() or False,
            "street": (form.get("street") or "").strip() or False,
            "contact_name": (form.get("contact_name") or "").strip() or False,
            "phone": (form.get("phone") or "").strip() or False,
            "state_id": False,
        }
        errors = {}
        if not values["name"]:
            errors["name"] = _("Enter the customer's name.")
        if values["customer_type"] not in dict(CUSTOMER_TYPES):
            errors["customer_type"] = _("Choose a customer type from the list.")
        state_id = form.get("state_id") or ""
        if state_id:
            state = (
                self.env["res.country.state"]
                .browse(int(state_id) if state_id.isdigit() else 0)
                .exists()
            )
            if state:
                values["state_id"] = state.id
            else:
                errors["state_id"] = _("Choose a province from the list.")
        if values["code"]:
            domain = [("dealer_id", "=", dealer.id), ("code", "=", values["code"])]
            if self:
                domain.append(("id", "not in", self.ids))
            if self.with_context(active_test=False).search_count(domain, limit=1):
                errors["code"] = _(
                    "You already have a customer with the code %(code)s.",
                    code=values["code"],
                )
        return values, errors
