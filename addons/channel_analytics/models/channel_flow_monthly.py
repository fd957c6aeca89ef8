from odoo import models
from odoo.tools import SQL


class ChannelFlowMonthly(models.Model):
    """The same figures per dealer and month (``date`` is the first of the
    month): small enough for dashboards and the dealer's page to read at
    once, at any volume of lines."""

    _name = "channel.flow.monthly"
    _inherit = "channel.flow.mixin"
    _description = "Channel Flow per Month"

    def _flow_keys(self):
        return {
            **super()._flow_keys(),
            "date": SQL("date_trunc('month', m.date)::date"),
        }
