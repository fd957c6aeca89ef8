from odoo import fields, models


class DealerProductCode(models.Model):
    """A dealer's own code for one of our products, read when it reports sales."""

    _name = "dealer.product.code"
    _description = "Dealer Product Code"
    _order = "dealer_id, code"
    _rec_name = "code"

    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_dealer", "=", True)],
    )
    code = fields.Char(
        required=True, help="The code as it appears in the dealer's files."
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="cascade",
        domain=[("sale_ok", "=", True)],
    )

    _sql_constraints = [
        (
            "code_dealer_uniq",
            "unique(dealer_id, code)",
            "A dealer maps each of its codes to one product only.",
        ),
    ]
