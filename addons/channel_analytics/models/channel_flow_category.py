from odoo import models
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.fields_bulk import BulkMany2one


class ChannelFlowCategory(models.Model):
    """The same figures per dealer, product category and month (``date`` is
    the first of the month): the category mix of the dashboards."""

    _name = "channel.flow.category"
    _inherit = "channel.flow.mixin"
    _description = "Channel Flow per Category and Month"

    categ_id = BulkMany2one(
        "product.category", string="Product Category", required=True, readonly=True
    )

    def _flow_keys(self):
        return {
            **super()._flow_keys(),
            "date": SQL("date_trunc('month', m.date)::date"),
            "categ_id": SQL("pt.categ_id"),
        }

    def _flow_index(self):
        return SQL("company_id, dealer_id, categ_id, date")
