from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

TERRITORY_LEVELS = [
    ("country", "Country"),
    ("region", "Region"),
    ("province", "Province"),
    ("city", "City"),
    ("district", "District"),
]
LEVEL_DEPTH = {level: depth for depth, (level, _label) in enumerate(TERRITORY_LEVELS)}


def normalise_city(name):
    """Return a city name as compared between addresses and territories.

    Dealers write 杭州, 杭州市 or " 杭州市 " for the same city.
    """
    name = (name or "").strip()
    return name.removesuffix("市") if len(name) > 2 else name


class DealerTerritory(models.Model):
    _name = "dealer.territory"
    _description = "Sales Territory"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    code = fields.Char(index="btree_not_null")
    level = fields.Selection(TERRITORY_LEVELS, required=True, default="province")
    parent_id = fields.Many2one(
        "dealer.territory", string="Parent Territory", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "dealer.territory", "parent_id", string="Sub-territories"
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
        recursive=True,
    )
    state_id = fields.Many2one(
        "res.country.state",
        string="Province / State",
        compute="_compute_state_id",
        store=True,
        readonly=False,
        recursive=True,
        index="btree_not_null",
        help="The province this territory lies in, as it appears in addresses.",
    )
    city = fields.Char(
        compute="_compute_city",
        store=True,
        readonly=False,
        recursive=True,
        help="For a city or district: the city name as written in addresses, "
        "e.g. 杭州市.",
    )
    active = fields.Boolean(default=True)
    dealer_ids = fields.Many2many(
        "res.partner",
        "dealer_territory_partner_rel",
        "territory_id",
        "partner_id",
        string="Dealers",
        domain=[("is_dealer", "=", True)],
    )
    dealer_count = fields.Integer(compute="_compute_dealer_count")
    manager_ids = fields.Many2many(
        "res.users",
        "dealer_territory_manager_rel",
        "territory_id",
        "user_id",
        string="Channel Staff",
        domain=[("share", "=", False)],
        help="The staff responsible for this territory. Decisions on its dealers go "
        "to the nearest territory up the tree that has a channel manager.",
    )

    _sql_constraints = [
        (
            "name_parent_uniq",
            "unique(parent_id, name)",
            "A territory already has a sub-territory with this name.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = (
                    f"{territory.parent_id.complete_name} / {territory.name}"
                )
            else:
                territory.complete_name = territory.name

    @api.depends("parent_id.country_id", "state_id.country_id")
    def _compute_country_id(self):
        for territory in self:
            territory.country_id = (
                territory.state_id.country_id
                or territory.parent_id.country_id
                or territory.country_id
            )

    @api.depends("parent_id.state_id")
    def _compute_state_id(self):
        for territory in self:
            if territory.parent_id.state_id:
                territory.state_id = territory.parent_id.state_id

    @api.depends("level", "name", "parent_id.city")
    def _compute_city(self):
        for territory in self:
            if territory.level == "city":
                territory.city = territory.city or territory.name
            elif territory.level == "district":
                territory.city = territory.parent_id.city
            else:
                territory.city = False

    def _compute_dealer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("dealer_territory_ids", "in", self.ids)],
                ["dealer_territory_ids"],
                ["__count"],
            )
        )
        for territory in self:
            territory.dealer_count = counts.get(territory, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A territory cannot lie inside itself."))

    @api.constrains("parent_id", "level")
    def _check_level(self):
        for territory in self:
            children = territory.child_ids
            parent = territory.parent_id
            for upper, lower in [(parent, territory)] + [
                (territory, child) for child in children
            ]:
                if upper and LEVEL_DEPTH[lower.level] <= LEVEL_DEPTH[upper.level]:
                    raise ValidationError(
                        _(
                            "%(lower)s (%(lower_level)s) cannot lie inside "
                            "%(upper)s (%(upper_level)s): a sub-territory must be "
                            "of a finer level than its parent.",
                            lower=lower.name,
                            lower_level=lower._level_label(),
                            upper=upper.name,
                            upper_level=upper._level_label(),
                        )
                    )

    @api.constrains("level", "state_id", "city", "active")
    def _check_place_unique(self):
        """Addresses are placed by province and city: each must name one territory."""
        for territory in self.filtered(
            lambda t: t.active and t.state_id and t.level in ("province", "city")
        ):
            domain = [
                ("id", "!=", territory.id),
                ("level", "=", territory.level),
                ("state_id", "=", territory.state_id.id),
            ]
            twins = self.search(domain)
            if territory.level == "city":
                city = normalise_city(territory.city)
                twins = twins.filtered(
                    lambda t, city=city: normalise_city(t.city) == city
                )
            if twins:
                raise ValidationError(
                    _(
                        "%(territory)s and %(twin)s both stand for the same place; "
                        "addresses there could not be placed.",
                        territory=territory.complete_name,
                        twin=twins[0].complete_name,
                    )
                )

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.res_partner_action_dealer"
        )
        action["domain"] = [("dealer_territory_ids", "child_of", self.id)]
        return action

    def _level_label(self):
        self.ensure_one()
        return dict(self._fields["level"]._description_selection(self.env))[self.level]

    @api.model
    def _pairs_inside(self, pairs):
        """Tell, for many places at once, whether each lies inside a territory.

        :param pairs: iterable of ``(place_id, territory_id)``, both territory ids
        :return: the set of those pairs whose place is the territory itself or
            one of its descendants; one query whatever the number of pairs
        """
        pairs = {(place, area) for place, area in pairs if place and area}
        if not pairs:
            return set()
        self.flush_model(["parent_path"])
        places, areas = zip(*pairs, strict=True)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pair.place_id, pair.area_id
                  FROM unnest(%s::int[], %s::int[]) AS pair(place_id, area_id)
                  JOIN dealer_territory place ON place.id = pair.place_id
                  JOIN dealer_territory area ON area.id = pair.area_id
                 WHERE starts_with(place.parent_path, area.parent_path)
                """,
                list(places),
                list(areas),
            )
        )
        return set(rows)

    @api.model
    def _place_index(self):
        """The maps that place addresses: ``(by_state, by_city)``.

        ``by_state`` maps a province (state id) to its widest territory,
        ``by_city`` maps ``(state id, normalised city)`` to a city territory.
        """
        territories = self.search_fetch(
            [("state_id", "!=", False)], ["state_id", "city", "parent_path"]
        ).sorted(lambda territory: territory.parent_path.count("/"))
        by_state, by_city = {}, {}
        for territory in territories:
            # widest first: a province wins over a district without a city name
            state_id = territory.state_id.id
            if territory.city:
                key = (state_id, normalise_city(territory.city))
                by_city.setdefault(key, territory.id)
            else:
                by_state.setdefault(state_id, territory.id)
        return by_state, by_city

    @api.model
    def _locate(self, places, index=None):
        """Find the most precise territory of each place.

        :param places: iterable of ``(state_id, city)``; city may be empty
        :param index: the result of ``_place_index()``, to reuse it
        :return: dict mapping each place to a territory id, or False when no
            territory covers its province
        """
        by_state, by_city = index or self._place_index()
        return {
            (state_id, city): by_city.get((state_id, normalise_city(city)))
            or by_state.get(state_id, False)
            for state_id, city in set(places)
        }
