from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

DEALER_LEVELS = [
    ("distributor", "Distributor"),
    ("sub_distributor", "Sub-distributor"),
    ("retailer", "Retailer"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_dealer = fields.Boolean(
        string="Dealer",
        index=True,
        tracking=True,
        help="A company that buys from us and sells on through our channel.",
    )
    dealer_code = fields.Char(
        index="btree_not_null",
        copy=False,
        tracking=True,
        help="The code dealers and staff use for this dealer; unique per company.",
    )
    dealer_level = fields.Selection(DEALER_LEVELS, default="distributor", tracking=True)
    dealer_parent_id = fields.Many2one(
        "res.partner",
        string="Upstream Dealer",
        domain=[("is_dealer", "=", True)],
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        help="The dealer this sub-distributor buys from.",
    )
    dealer_child_ids = fields.One2many(
        "res.partner", "dealer_parent_id", string="Sub-dealers"
    )
    dealer_territory_ids = fields.Many2many(
        "dealer.territory",
        "dealer_territory_partner_rel",
        "partner_id",
        "territory_id",
        string="Authorised Territories",
    )
    dealer_category_ids = fields.Many2many(
        "product.category",
        "dealer_product_category_rel",
        "partner_id",
        "category_id",
        string="Authorised Categories",
        help="The dealer may sell products of these categories and their "
        "sub-categories.",
    )
    dealer_customer_ids = fields.One2many(
        "dealer.customer", "dealer_id", string="Downstream Customers"
    )
    dealer_customer_count = fields.Integer(compute="_compute_dealer_customer_count")

    def _compute_dealer_customer_count(self):
        counts = dict(
            self.env["dealer.customer"]._read_group(
                [("dealer_id", "in", self.ids)], ["dealer_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dealer_customer_count = counts.get(partner, 0)

    @api.constrains("is_dealer", "dealer_code", "parent_id")
    def _check_dealer_identity(self):
        for dealer in self.filtered("is_dealer"):
            if not dealer.dealer_code:
                raise ValidationError(
                    _("The dealer %(name)s needs a dealer code.", name=dealer.name)
                )
            if dealer.commercial_partner_id != dealer:
                raise ValidationError(
                    _(
                        "%(name)s is a contact of %(company)s: only the company "
                        "itself can be a dealer.",
                        name=dealer.name,
                        company=dealer.commercial_partner_id.name,
                    )
                )

    @api.constrains("dealer_code", "company_id")
    def _check_dealer_code_unique(self):
        coded = self.filtered("dealer_code")
        if not coded:
            return
        # Every company's dealers are searched, whoever is checking.
        namesakes = self.sudo().search(
            [("dealer_code", "in", coded.mapped("dealer_code"))]
        )
        for dealer in coded:
            for other in namesakes - dealer:
                if other.dealer_code == dealer.dealer_code and (
                    not other.company_id
                    or not dealer.company_id
                    or other.company_id == dealer.company_id
                ):
                    raise ValidationError(
                        _(
                            "The dealer code %(code)s is already used by %(dealer)s.",
                            code=dealer.dealer_code,
                            dealer=other.name,
                        )
                    )

    @api.constrains("dealer_parent_id")
    def _check_dealer_parent_id(self):
        if self._has_cycle("dealer_parent_id"):
            raise ValidationError(_("A dealer cannot be its own upstream dealer."))
        for dealer in self.filtered("dealer_parent_id"):
            if not dealer.dealer_parent_id.is_dealer:
                raise ValidationError(
                    _(
                        "The upstream dealer of %(name)s, %(parent)s, is not a dealer.",
                        name=dealer.name,
                        parent=dealer.dealer_parent_id.name,
                    )
                )

    def action_view_dealer_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.dealer_customer_action"
        )
        action["domain"] = [("dealer_id", "=", self.id)]
        action["context"] = {"default_dealer_id": self.id}
        return action

    def action_grant_portal_access(self):
        self.ensure_one()
        return (
            self.env["portal.wizard"]
            .with_context(active_model="res.partner", active_ids=self.ids)
            .action_open_wizard()
        )

    def _dealer_product_domain(self):
        """Return the domain of the products this dealer may see and order.

        Saleable products of the dealer's authorised categories and their
        sub-categories, of the current company or shared between companies.
        """
        self.ensure_one()
        # Portal users may not read product categories; only their ids are used.
        category_ids = self.sudo().dealer_category_ids.ids
        if not category_ids:
            return expression.FALSE_DOMAIN
        return [
            ("sale_ok", "=", True),
            ("categ_id", "child_of", category_ids),
            *self.env["product.product"]._check_company_domain(self.env.company),
        ]

    def _dealer_credit(self, amount=0.0):
        """Return the dealer's credit position in the current company's currency.

        Figures are Odoo's own: open receivables (``credit``), confirmed orders
        not yet invoiced (``credit_to_invoice``) and the credit limit, summed over
        the dealer and its contacts, plus its orders waiting for confirmation.

        :param float amount: an order about to be placed, in company currency
        :return: dict with ``limit`` (0.0 when no limit applies), ``receivable``,
            ``to_invoice``, ``unconfirmed``, ``exposure`` (their sum plus
            ``amount``), ``available`` (what is left under the limit, never below
            zero, or None without a limit) and ``over`` (exposure above limit)
        """
        self.ensure_one()
        company = self.env.company
        currency = company.currency_id
        # Credit figures are restricted to accounting users: the dealer reads its
        # own, and channel staff need them to approve its orders.
        Partner = self.sudo().with_company(company)
        partners = Partner.with_context(active_test=False).search(
            [("commercial_partner_id", "=", self.id)]
        )
        # Computed on read and not stored: what was read earlier in this
        # transaction may predate an order or invoice just made.
        partners.invalidate_recordset(["credit", "credit_to_invoice"])
        unconfirmed = 0.0
        for order_currency, total in (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                ],
                ["currency_id"],
                ["amount_total:sum"],
            )
        ):
            unconfirmed += order_currency._convert(
                total, currency, company, fields.Date.context_today(self)
            )
        limit = Partner.browse(self.id).credit_limit
        if not company.account_use_credit_limit:
            limit = 0.0
        receivable = sum(partners.mapped("credit"))
        to_invoice = sum(partners.mapped("credit_to_invoice"))
        exposure = receivable + to_invoice + unconfirmed + amount
        return {
            "currency": currency,
            "limit": limit,
            "receivable": receivable,
            "to_invoice": to_invoice,
            "unconfirmed": unconfirmed,
            "exposure": exposure,
            "available": max(limit - exposure, 0.0) if limit else None,
            "over": bool(limit) and currency.compare_amounts(exposure, limit) > 0,
        }

    def _dealer_channel_manager(self):
        """Return the internal user who decides for this dealer.

        The channel manager of the nearest territory that has one, from the
        dealer's own territories up the tree; else its salesperson; else the
        first channel manager of the current company.
        """
        self.ensure_one()
        if manager := self._dealer_territory_decider(
            "dealer_portal.group_channel_manager"
        ):
            return manager
        # Portal users may not read internal users; who looks after the dealer
        # decides where its orders, sell-out and claims go.
        salesperson = self.sudo().user_id
        if salesperson.active and not salesperson.share:
            return salesperson
        managers = self.env.ref("dealer_portal.group_channel_manager").sudo().users
        return self._dealer_deciders(managers).filtered(
            lambda user: user.id != SUPERUSER_ID
        )[:1]

    def _dealer_territory_decider(self, group_xmlid):
        """The staff member of ``group_xmlid`` responsible for the nearest of
        the dealer's territories that has one, from its own up the tree; an
        empty recordset when no territory up the tree has one."""
        self.ensure_one()
        dealer = self.sudo()  # portal users may not read territories or users
        members = self.env.ref(group_xmlid).sudo().users
        territories = dealer.dealer_territory_ids.search(
            [("id", "parent_of", dealer.dealer_territory_ids.ids)]
        ).sorted(lambda territory: -territory.parent_path.count("/"))
        for territory in territories:
            if found := self._dealer_deciders(territory.manager_ids & members):
                return found[:1]
        return self.env["res.users"]

    def _dealer_deciders(self, users):
        """The users who may decide in the current company, by id."""
        return users.filtered(
            lambda user: (
                user.active and not user.share and self.env.company in user.company_ids
            )
        ).sorted("id")

    def _dealer_authorised_products(self):
        """The products this dealer may sell: saleable, of its categories."""
        self.ensure_one()
        return self.env["product.product"].search(self._dealer_product_domain())

    @api.model
    def _dealer_places_authorised(self, pairs):
        """Tell, for many places at once, whether each dealer may sell there.

        :param pairs: iterable of ``(dealer_id, place_territory_id)``
        :return: the set of those pairs whose place lies inside one of the
            dealer's authorised territories; one query whatever their number
        """
        pairs = {(dealer, place) for dealer, place in pairs if dealer and place}
        if not pairs:
            return set()
        self.env["dealer.territory"].flush_model(["parent_path"])
        self.flush_model(["dealer_territory_ids"])
        dealers, places = zip(*pairs, strict=True)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pair.dealer_id, pair.place_id
                  FROM unnest(%s::int[], %s::int[]) AS pair(dealer_id, place_id)
                  JOIN dealer_territory place ON place.id = pair.place_id
                 WHERE EXISTS (
                        SELECT 1
                          FROM dealer_territory_partner_rel rel
                          JOIN dealer_territory area ON area.id = rel.territory_id
                         WHERE rel.partner_id = pair.dealer_id
                           AND starts_with(place.parent_path, area.parent_path)
                       )
                """,
                list(dealers),
                list(places),
            )
        )
        return set(rows)
