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
        # testing every line of the ledger against a long list of ids. When the
        # range holds these lines only, as after a posting nobody wrote into,
        # the list is not sent at all: for a million lines, it took 4 s of 18.
        ids = self.ids
        first, last = min(ids), max(ids)
        where = SQL("m.id BETWEEN %s AND %s", first, last)
        if last - first + 1 != len(set(ids)):
            where = SQL("%s AND m.id = ANY(%s)", where, ids)
        flows = self.env["channel.flow.mixin"]
        flows._add_moves(where, flows._flow_models())
        return result
