from odoo import models
from odoo.tools import SQL


class DealerStockMove(models.Model):
    _inherit = "dealer.stock.move"

    def _after_moves_added(self):
        result = super()._after_moves_added()
        where = SQL("m.id = ANY(%s)", self.ids)
        self.env["channel.flow.daily"]._add_moves(where)
        self.env["channel.flow.monthly"]._add_moves(where)
        return result
