from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .product_template import format_quantity

SHORTFALL_REASONS = [
    ("missing", "Missing"),
    ("damaged", "Damaged in transit"),
    ("wrong_item", "Wrong product or lot"),
    ("other", "Other"),
]


class DealerReceiptLine(models.Model):
    """One product and lot of a delivery, as shipped and as the dealer received it.

    The dealer ledger reads confirmed lines (``state == 'confirmed'``):
    ``product_id``, ``lot_id``, ``quantity_received`` (in ``product_uom_id``, the
    product's unit) and ``date`` (when the dealer confirmed), for ``dealer_id``,
    when the company's ``dealer_receipt_source`` is ``confirmation``.
    """

    _name = "dealer.receipt.line"
    _description = "Dealer Receipt Confirmation Line"
    _order = "receipt_id, id"

    receipt_id = fields.Many2one(
        "dealer.receipt", required=True, index=True, ondelete="cascade"
    )
    dealer_id = fields.Many2one(
        related="receipt_id.dealer_id", store=True, index=True, string="Dealer"
    )
    picking_id = fields.Many2one(
        related="receipt_id.picking_id", store=True, string="Delivery"
    )
    company_id = fields.Many2one(related="receipt_id.company_id", store=True)
    state = fields.Selection(related="receipt_id.state", store=True)
    date = fields.Datetime(
        related="receipt_id.date_confirmed",
        store=True,
        index=True,
        string="Date Received",
    )
    move_line_id = fields.Many2one(
        "stock.move.line",
        string="Shipped Line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one("stock.lot", readonly=True, index="btree_not_null")
    quantity_shipped = fields.Float(digits="Product Unit of Measure", readonly=True)
    quantity_received = fields.Float(digits="Product Unit of Measure")
    quantity_short = fields.Float(
        digits="Product Unit of Measure",
        compute="_compute_quantity_short",
        store=True,
        string="Shortfall",
    )
    shortfall_reason = fields.Selection(SHORTFALL_REASONS)
    shortfall_note = fields.Char(string="Shortfall Details")

    @api.depends("quantity_shipped", "quantity_received")
    def _compute_quantity_short(self):
        for line in self:
            line.quantity_short = max(line.quantity_shipped - line.quantity_received, 0)

    @api.constrains("quantity_received", "quantity_shipped")
    def _check_quantity_received(self):
        for line in self:
            error = line._quantity_error(line.quantity_received, need_reason=False)
            if error:
                raise ValidationError(error)

    def _check_shortfall_reason(self):
        for line in self:
            if line.quantity_short > 0 and not line.shortfall_reason:
                raise ValidationError(
                    _(
                        "Say why %(product)s arrived short.",
                        product=line.product_id.display_name,
                    )
                )

    def _quantity_error(self, received, reason=False, note=False, need_reason=True):
        """Tell what is wrong with a quantity received and its reason, if anything.

        :return: the message for the dealer, or an empty string
        """
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        if float_compare(received, 0.0, precision_rounding=rounding) < 0:
            return _("The quantity received cannot be negative.")
        compared = float_compare(
            received, self.quantity_shipped, precision_rounding=rounding
        )
        if compared > 0:
            return _(
                "You cannot receive more than the %(quantity)s shipped.",
                quantity=format_quantity(self.quantity_shipped),
            )
        if compared < 0 and need_reason:
            if not reason:
                return _("Say why less arrived than was shipped.")
            if reason == "other" and not note:
                return _("Describe what happened.")
        return ""

    def _shortfall_text(self):
        self.ensure_one()
        reasons = dict(
            self._fields["shortfall_reason"]._description_selection(self.env)
        )
        product = self.product_id.display_name
        if self.lot_id:
            product = "%s [%s]" % (product, self.lot_id.name)
        text = _(
            "%(product)s: %(received)s of %(shipped)s %(unit)s received (%(reason)s)",
            product=product,
            received=format_quantity(self.quantity_received),
            shipped=format_quantity(self.quantity_shipped),
            unit=self.product_uom_id.name,
            reason=reasons.get(self.shortfall_reason, ""),
        )
        if self.shortfall_note:
            text += f" — {self.shortfall_note}"
        return text
