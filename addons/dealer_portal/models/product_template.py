from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_round


def format_quantity(quantity):
    """Write a quantity as dealers read it: 5, 2.5, never 5.0."""
    return ("%.6f" % quantity).rstrip("0").rstrip(".")


def is_whole_packs(quantity, pack):
    """Tell whether ``quantity`` is a whole number of packs of ``pack``."""
    if pack <= 0:
        return True
    packs = float_round(quantity / pack, precision_digits=6)
    return float_compare(packs, round(packs), precision_digits=6) == 0


class ProductTemplate(models.Model):
    _inherit = "product.template"

    channel_floor_price = fields.Float(
        digits="Product Price",
        help="The lowest unit price at which dealers may sell this product on; "
        "reported sales below it are flagged.",
    )
    dealer_pack_qty = fields.Float(
        string="Dealer Pack Size",
        digits="Product Unit of Measure",
        help="Dealers order this product in multiples of this quantity, in its unit "
        "of measure; leave empty to accept any quantity.",
    )
    dealer_min_qty = fields.Float(
        string="Dealer Minimum Quantity",
        digits="Product Unit of Measure",
        help="The smallest quantity a dealer may order in the portal.",
    )
    dealer_low_stock_qty = fields.Float(
        string="Dealer Low Stock Below",
        digits="Product Unit of Measure",
        help="The portal tells dealers that stock is low when the free quantity "
        "falls below this; it never shows the quantity itself.",
    )

    @api.constrains("dealer_pack_qty", "dealer_min_qty", "dealer_low_stock_qty")
    def _check_dealer_quantities(self):
        for template in self:
            if (
                min(
                    template.dealer_pack_qty,
                    template.dealer_min_qty,
                    template.dealer_low_stock_qty,
                )
                < 0
            ):
                raise ValidationError(
                    _(
                        "The dealer pack size, minimum and low-stock quantities of "
                        "%(product)s cannot be negative.",
                        product=template.display_name,
                    )
                )
            if not is_whole_packs(template.dealer_min_qty, template.dealer_pack_qty):
                raise ValidationError(
                    _(
                        "The dealer minimum quantity of %(product)s must be a whole "
                        "number of packs of %(pack)s.",
                        product=template.display_name,
                        pack=format_quantity(template.dealer_pack_qty),
                    )
                )
