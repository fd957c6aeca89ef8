from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.dealer_customer import CUSTOMER_TYPES
from odoo.addons.dealer_portal.models.fields_bulk import BulkMany2one


class ChannelFlowDaily(models.Model):
    """Sell-in, sell-out and returns per dealer, product, customer, territory
    and day: what the analysis reports and the expense ROI read."""

    _name = "channel.flow.daily"
    _inherit = "channel.flow.mixin"
    _description = "Channel Flow per Day"

    product_id = BulkMany2one("product.product", required=True, readonly=True)
    customer_id = BulkMany2one("dealer.customer", readonly=True)
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    territory_id = BulkMany2one(
        "dealer.territory",
        readonly=True,
        help="Where the goods went: the customer's territory for sell-out, the "
        "dealer's first territory for sell-in.",
    )

    def init(self):
        result = super().init()
        # Expense ROI reads a dealer's days in a window.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS channel_flow_daily_dealer_date "
                "ON channel_flow_daily (dealer_id, date)"
            )
        )
        return result

    def _flow_keys(self):
        return {
            **super()._flow_keys(),
            "product_id": SQL("m.product_id"),
            "customer_id": SQL("m.customer_id"),
            "customer_type": SQL("c.customer_type"),
            "territory_id": SQL(
                "CASE WHEN m.kind IN ('receipt', 'return_to_supplier') "
                "THEN home.territory_id "
                "ELSE COALESCE(l.territory_id, c.territory_id, home.territory_id) END"
            ),
        }

    def _flow_index(self):
        return SQL(
            "company_id, dealer_id, product_id, (COALESCE(customer_id, 0)), "
            "(COALESCE(customer_type, '')), (COALESCE(territory_id, 0)), date"
        )
