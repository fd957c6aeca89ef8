from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    channel_floor_price = fields.Float(
        digits="Product Price",
        help="The lowest unit price at which dealers may sell this product on; "
        "reported sales below it are flagged.",
    )
