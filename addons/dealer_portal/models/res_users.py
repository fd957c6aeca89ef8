from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    dealer_territory_ids = fields.Many2many(
        "dealer.territory",
        "dealer_territory_manager_rel",
        "user_id",
        "territory_id",
        string="Channel Territories",
        help="The territories this channel staff member looks after: they see and act "
        "on the dealers inside them (and their sub-dealers) only. None: every dealer "
        "of their companies.",
    )
