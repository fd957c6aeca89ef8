from odoo import models
from odoo.tools import SQL


class DealerStockMove(models.Model):
    _inherit = "dealer.stock.move"

    def _after_moves_added(self):
        result = super()._after_moves_added()
        where = SQL("m.id = ANY(%s)", self.ids)
        for name in self.env["channel.flow.mixin"]._flow_models():
            self.env[name]._add_moves(where)
        return result
