from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

ANNOUNCEMENT_KINDS = [
    ("price_policy", "Price Policy"),
    ("promotion", "Promotion"),
    ("fund_programme", "Fund Programme"),
    ("new_product", "New Product"),
    ("other", "Other"),
]


class DealerAnnouncement(models.Model):
    """Market information for dealers: channel policies and announcements,
    published to every dealer or to chosen territories and levels. Each dealer
    addressed acknowledges reading it; staff see who has and who has not."""

    _name = "dealer.announcement"
    _description = "Dealer Announcement"
    _inherit = ["mail.thread"]
    _order = "publish_date desc, id desc"

    name = fields.Char(string="Title", required=True, tracking=True)
    kind = fields.Selection(ANNOUNCEMENT_KINDS, required=True, default="other")
    body = fields.Html(sanitize_style=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "dealer_announcement_attachment_rel",
        "announcement_id",
        "attachment_id",
        string="Attachments",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        required=True,
        default="draft",
        tracking=True,
    )
    publish_date = fields.Datetime(readonly=True, copy=False)
    audience_all = fields.Boolean(
        string="All Dealers",
        default=True,
        help="Untick to address only the dealers of some territories or levels.",
    )
    territory_ids = fields.Many2many(
        "dealer.territory",
        string="Territories",
        help="Dealers authorised in these territories or inside them.",
    )
    for_distributors = fields.Boolean(string="Distributors")
    for_sub_distributors = fields.Boolean(string="Sub-distributors")
    for_retailers = fields.Boolean(string="Retailers")
    recipient_ids = fields.One2many(
        "dealer.announcement.recipient", "announcement_id", string="Dealers"
    )
    recipient_count = fields.Integer(compute="_compute_read_counts")
    read_count = fields.Integer(compute="_compute_read_counts")

    @api.depends("recipient_ids.read_date")
    def _compute_read_counts(self):
        for announcement in self:
            announcement.recipient_count = len(announcement.recipient_ids)
            announcement.read_count = len(
                announcement.recipient_ids.filtered("read_date")
            )

    def _audience_domain(self):
        """The dealers this announcement addresses, as a domain on res.partner."""
        self.ensure_one()
        dealers = [
            ("is_dealer", "=", True),
            ("company_id", "in", [False, self.company_id.id]),
        ]
        if self.audience_all:
            return dealers
        criteria = []
        if self.territory_ids:
            criteria.append(
                [("dealer_territory_ids", "child_of", self.territory_ids.ids)]
            )
        levels = [
            level
            for level, chosen in (
                ("distributor", self.for_distributors),
                ("sub_distributor", self.for_sub_distributors),
                ("retailer", self.for_retailers),
            )
            if chosen
        ]
        if levels:
            criteria.append([("dealer_level", "in", levels)])
        if not criteria:
            return expression.FALSE_DOMAIN  # a chosen audience, yet nobody chosen
        return expression.AND([dealers, *criteria])

    def action_publish(self):
        """Publish to the dealers of the audience, as they are now."""
        for announcement in self:
            if announcement.state != "draft":
                raise UserError(_("Only a draft can be published."))
            dealers = self.env["res.partner"].search(announcement._audience_domain())
            if not dealers:
                raise UserError(_("No dealer is in this audience."))
            announcement.write(
                {
                    "state": "published",
                    "publish_date": fields.Datetime.now(),
                    "recipient_ids": [
                        fields.Command.create({"dealer_id": dealer.id})
                        for dealer in dealers
                    ],
                }
            )
        return True

    def action_archive_announcement(self):
        self.write({"state": "archived"})
        return True

    def action_view_unread(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Dealers who have not read it"),
            "res_model": "dealer.announcement.recipient",
            "view_mode": "list",
            "domain": [("announcement_id", "=", self.id), ("read_date", "=", False)],
        }

    def _acknowledge(self, dealer):
        """The dealer's user says it has read this announcement."""
        self.ensure_one()
        recipient = self.recipient_ids.filtered(lambda r: r.dealer_id == dealer)
        if not recipient:
            raise UserError(_("This announcement is not addressed to you."))
        if not recipient.read_date:
            recipient.write(
                {"read_date": fields.Datetime.now(), "read_uid": self.env.uid}
            )
        return recipient


class DealerAnnouncementRecipient(models.Model):
    _name = "dealer.announcement.recipient"
    _description = "Dealer Announcement Recipient"
    _order = "read_date desc, id"
    _rec_name = "dealer_id"

    announcement_id = fields.Many2one(
        "dealer.announcement", required=True, index=True, ondelete="cascade"
    )
    dealer_id = fields.Many2one("res.partner", required=True, index=True)
    read_date = fields.Datetime(string="Read On", readonly=True)
    read_uid = fields.Many2one("res.users", string="Read By", readonly=True)

    _sql_constraints = [
        (
            "announcement_dealer_uniq",
            "unique(announcement_id, dealer_id)",
            "A dealer receives an announcement once.",
        ),
    ]
