import math

from odoo import _, models
from odoo.tools import float_compare, float_round

from .product_template import format_quantity, is_whole_packs

AVAILABILITY_BADGES = {
    "in_stock": "text-bg-success",
    "low": "text-bg-warning",
    "on_request": "text-bg-secondary",
}


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _dealer_quantity_error(self, quantity):
        """Tell why a dealer may not order ``quantity`` of this product.

        :param float quantity: the quantity ordered, in the product's unit
        :return: the message to show the dealer, or an empty string when the
            quantity respects the product's minimum and pack size
        """
        self.ensure_one()
        rounding = self.uom_id.rounding
        if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
            return _("Enter a quantity above zero.")
        if (
            float_compare(quantity, self.dealer_min_qty, precision_rounding=rounding)
            < 0
        ):
            return _(
                "The minimum order of %(product)s is %(quantity)s %(unit)s.",
                product=self.display_name,
                quantity=format_quantity(self.dealer_min_qty),
                unit=self.uom_id.name,
            )
        if not is_whole_packs(quantity, self.dealer_pack_qty):
            return _(
                "%(product)s is sold in packs of %(pack)s %(unit)s: order a multiple "
                "of %(pack)s.",
                product=self.display_name,
                pack=format_quantity(self.dealer_pack_qty),
                unit=self.uom_id.name,
            )
        return ""

    def _dealer_round_up(self, quantity):
        """Return the smallest quantity a dealer may order that covers ``quantity``."""
        self.ensure_one()
        quantity = max(quantity, self.dealer_min_qty)
        pack = self.dealer_pack_qty
        if not is_whole_packs(quantity, pack):
            quantity = (
                math.ceil(float_round(quantity / pack, precision_digits=6)) * pack
            )
        return quantity

    def _dealer_availability(self):
        """Tell dealers how available each product is, without giving numbers.

        :return: dict mapping product ids to ``in_stock``, ``low`` (free
            quantity below the product's low-stock level) or ``on_request``
            (less free than the minimum order); goods not kept in stock are
            always in stock. One computation for all products.
        """
        storable = self.filtered("is_storable")
        availability = dict.fromkeys((self - storable).ids, "in_stock")
        for product in storable:
            rounding = product.uom_id.rounding
            free = product.free_qty
            if float_compare(free, 0.0, precision_rounding=rounding) <= 0 or (
                float_compare(free, product.dealer_min_qty, precision_rounding=rounding)
                < 0
            ):
                availability[product.id] = "on_request"
            elif (
                float_compare(
                    free, product.dealer_low_stock_qty, precision_rounding=rounding
                )
                < 0
            ):
                availability[product.id] = "low"
            else:
                availability[product.id] = "in_stock"
        return availability

    def _dealer_availability_badge(self, availability):
        """Return the label and badge class of an availability code."""
        labels = {
            "in_stock": _("In stock"),
            "low": _("Low stock"),
            "on_request": _("On request"),
        }
        return labels[availability], AVAILABILITY_BADGES[availability]
