from odoo import _, api, fields, models
from odoo.exceptions import UserError


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

    @api.model
    def _portal_add(self, dealer, products, code, product_id):
        """Map one of the dealer's codes to one of its authorised ``products``."""
        code = (code or "").strip()
        product = products.filtered(lambda p: str(p.id) == str(product_id or ""))
        if not code:
            raise UserError(_("Enter your own product code."))
        if not product:
            raise UserError(_("Choose one of your products."))
        if self.search_count([("dealer_id", "=", dealer.id), ("code", "=ilike", code)]):
            raise UserError(_("Your code %(code)s is mapped already.", code=code))
        return self.create(
            {"dealer_id": dealer.id, "code": code, "product_id": product.id}
        )
