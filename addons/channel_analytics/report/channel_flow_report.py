from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.dealer_customer import CUSTOMER_TYPES
from odoo.addons.dealer_portal.models.res_partner import DEALER_LEVELS


def territory_places():
    """Each territory with the region and the province it lies in (or is).

    The territory tree is small; its parent paths give the ancestors."""
    return SQL(
        """
        SELECT t.id,
               MAX(a.id) FILTER (WHERE a.level = 'region') AS region_id,
               MAX(a.id) FILTER (WHERE a.level = 'province') AS province_id
          FROM dealer_territory t
          JOIN dealer_territory a ON starts_with(t.parent_path, a.parent_path)
                                 AND a.level IN ('region', 'province')
         GROUP BY t.id
        """
    )


class ChannelFlowReport(models.Model):
    """Sell-in, sell-out and returns along every axis of the channel, read
    from the daily summary (``channel.flow.daily``), never from raw lines."""

    _name = "channel.flow.report"
    _inherit = "channel.flow.measures"
    _description = "Channel Analysis"
    _auto = False
    _rec_name = "dealer_id"
    _order = "date desc"
    _depends = {
        "channel.flow.daily": [
            "company_id",
            "dealer_id",
            "product_id",
            "customer_type",
            "territory_id",
            "date",
            "sellout_qty",
            "sellout_amount",
            "return_qty",
            "return_amount",
            "net_qty",
            "net_amount",
            "sellin_qty",
            "sellin_amount",
            "line_count",
        ],
        "res.partner": ["dealer_level", "dealer_parent_id"],
        "dealer.territory": ["parent_path", "level"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    dealer_level = fields.Selection(DEALER_LEVELS, readonly=True)
    dealer_parent_id = fields.Many2one(
        "res.partner", string="Upstream Dealer", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product Template", readonly=True
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    territory_id = fields.Many2one("dealer.territory", readonly=True)
    province_id = fields.Many2one("dealer.territory", readonly=True)
    region_id = fields.Many2one("dealer.territory", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s",
            self._select(),
            self._from(),
            self._where(),
        )

    def _select(self):
        return SQL(
            """
            flow.id,
            flow.date,
            flow.company_id,
            company.currency_id,
            flow.dealer_id,
            dealer.dealer_level,
            dealer.dealer_parent_id,
            flow.product_id,
            product.product_tmpl_id,
            template.categ_id,
            flow.customer_type,
            flow.territory_id,
            place.province_id,
            place.region_id,
            flow.sellout_qty,
            flow.sellout_amount,
            flow.return_qty,
            flow.return_amount,
            flow.net_qty,
            flow.net_amount,
            flow.sellin_qty,
            flow.sellin_amount,
            flow.line_count
            """
        )

    def _from(self):
        return SQL(
            """
            channel_flow_daily flow
            JOIN res_company company ON company.id = flow.company_id
            JOIN res_partner dealer ON dealer.id = flow.dealer_id
            JOIN product_product product ON product.id = flow.product_id
            JOIN product_template template ON template.id = product.product_tmpl_id
            LEFT JOIN (%s) place ON place.id = flow.territory_id
            """,
            territory_places(),
        )

    def _where(self):
        return SQL("TRUE")
