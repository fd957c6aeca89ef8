from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.res_partner import DEALER_LEVELS

from .channel_flow_report import territory_places


class ChannelInventoryReport(models.Model):
    """Channel stock per dealer and product today (or at the context's
    ``channel_inventory_date``), with its cover: days of inventory = stock on
    hand / average daily net sell-out over the company's cover window
    (``channel_cover_days``, 90 by default) up to that day.

    Stock comes from the ledger's daily summary (``dealer.stock.daily``),
    sell-out from ``channel.flow.daily``; no raw line is read.
    """

    _name = "channel.inventory.report"
    _description = "Channel Inventory"
    _auto = False
    _rec_name = "product_id"
    _order = "days_of_inventory desc nulls first, dealer_id, product_id"
    _depends = {
        "dealer.stock.daily": ["dealer_id", "product_id", "date", "quantity"],
        "channel.flow.daily": ["dealer_id", "product_id", "date", "net_qty"],
        "res.company": ["channel_cover_days"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    dealer_level = fields.Selection(DEALER_LEVELS, readonly=True)
    territory_id = fields.Many2one(
        "dealer.territory",
        string="Dealer Territory",
        readonly=True,
        help="The dealer's first authorised territory.",
    )
    province_id = fields.Many2one("dealer.territory", readonly=True)
    region_id = fields.Many2one("dealer.territory", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    stock_qty = fields.Float(
        string="Stock on Hand", digits="Product Unit of Measure", readonly=True
    )
    stock_value = fields.Float(
        digits="Product Price",
        readonly=True,
        help="Stock on hand at the product's list price.",
    )
    sold_qty = fields.Float(
        string="Net Sell-out in Window",
        digits="Product Unit of Measure",
        readonly=True,
    )
    daily_sellout = fields.Float(
        string="Daily Sell-out",
        digits="Product Unit of Measure",
        readonly=True,
        aggregator="sum",
    )
    days_of_inventory = fields.Float(
        string="Days of Inventory",
        digits=(16, 1),
        readonly=True,
        aggregator=None,
        help="Stock on hand divided by the average daily net sell-out of the "
        "window; empty when nothing was sold in it.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH stock AS (%(stock)s), sold AS (%(sold)s)
            SELECT %(select)s
              FROM %(source)s
             WHERE %(where)s
            """,
            stock=self._stock(),
            sold=self._sold(),
            select=self._select(),
            source=self._from(),
            where=self._where(),
        )

    def _today(self):
        """The day of the stock: today, or ``channel_inventory_date`` from the
        context (the XLSX export's end date, for the stock at a past date)."""
        day = self.env.context.get("channel_inventory_date")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def _stock(self):
        return SQL(
            """
            SELECT company_id, dealer_id, product_id, SUM(quantity) AS stock_qty
              FROM dealer_stock_daily
             WHERE date <= %s
             GROUP BY company_id, dealer_id, product_id
            """,
            self._today(),
        )

    def _sold(self):
        return SQL(
            """
            SELECT flow.company_id, flow.dealer_id, flow.product_id,
                   SUM(flow.net_qty) AS sold_qty,
                   MIN(company.channel_cover_days) AS window_days
              FROM channel_flow_daily flow
              JOIN res_company company ON company.id = flow.company_id
             WHERE flow.date <= %(today)s
               AND flow.date > %(today)s::date - company.channel_cover_days
             GROUP BY flow.company_id, flow.dealer_id, flow.product_id
            """,
            today=self._today(),
        )

    def _select(self):
        return SQL(
            """
            ROW_NUMBER() OVER (ORDER BY dealer.id, product.id) AS id,
            COALESCE(stock.company_id, sold.company_id) AS company_id,
            dealer.id AS dealer_id,
            dealer.dealer_level,
            home.territory_id,
            place.province_id,
            place.region_id,
            product.id AS product_id,
            template.categ_id,
            COALESCE(stock.stock_qty, 0) AS stock_qty,
            COALESCE(stock.stock_qty, 0) * template.list_price AS stock_value,
            COALESCE(sold.sold_qty, 0) AS sold_qty,
            COALESCE(sold.sold_qty / sold.window_days, 0) AS daily_sellout,
            CASE WHEN sold.sold_qty > 0
                 THEN COALESCE(stock.stock_qty, 0) * sold.window_days / sold.sold_qty
            END AS days_of_inventory
            """
        )

    def _from(self):
        return SQL(
            """
            stock FULL JOIN sold ON sold.dealer_id = stock.dealer_id
                                AND sold.product_id = stock.product_id
                                AND sold.company_id = stock.company_id
            JOIN res_partner dealer
              ON dealer.id = COALESCE(stock.dealer_id, sold.dealer_id)
            JOIN product_product product
              ON product.id = COALESCE(stock.product_id, sold.product_id)
            JOIN product_template template ON template.id = product.product_tmpl_id
            LEFT JOIN (SELECT partner_id, MIN(territory_id) AS territory_id
                         FROM dealer_territory_partner_rel
                        GROUP BY partner_id) home ON home.partner_id = dealer.id
            LEFT JOIN (%s) place ON place.id = home.territory_id
            """,
            territory_places(),
        )

    def _where(self):
        return SQL(
            "ROUND(COALESCE(stock.stock_qty, 0)::numeric, 6) <> 0 "
            "OR ROUND(COALESCE(sold.sold_qty, 0)::numeric, 6) <> 0"
        )
