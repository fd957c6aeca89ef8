from odoo import models
from odoo.tools import SQL


class DealerStockMove(models.Model):
    _inherit = "dealer.stock.move"

    def _after_moves_added(self):
        result = super()._after_moves_added()
        if not self:
            return result
        # The range lets PostgreSQL read the new lines through the primary key
        # (they were just written, their ids are close together) instead of
        # testing every line of the ledger against a long list of ids.
        ids = self.ids
        where = SQL(
            "m.id BETWEEN %s AND %s AND m.id = ANY(%s)", min(ids), max(ids), ids
        )
        flows = self.env["channel.flow.mixin"]
        flows._add_moves(where, flows._flow_models())
        return result
