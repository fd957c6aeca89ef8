from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .dealer_sellout_batch import LOCK_LEDGER


class DealerStocktake(models.Model):
    """A count of a dealer's stock. Where it disagrees with the ledger, an
    adjustment is written and the stocktake is flagged for reconciliation."""

    _name = "dealer.stocktake"
    _description = "Dealer Stocktake"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        required=True, copy=False, readonly=True, default=lambda self: _("New")
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain=[("is_dealer", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    kind = fields.Selection(
        [("stocktake", "Stocktake"), ("opening", "Opening Balance")],
        required=True,
        default="stocktake",
        help="An opening balance starts a dealer's ledger from its counted stock.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
    line_ids = fields.One2many("dealer.stocktake.line", "stocktake_id", copy=True)
    needs_reconciliation = fields.Boolean(
        readonly=True,
        tracking=True,
        help="The count disagreed with the ledger: someone should find out why.",
    )
    difference_count = fields.Integer(compute="_compute_difference_count")

    @api.depends("line_ids.difference")
    def _compute_difference_count(self):
        for stocktake in self:
            stocktake.difference_count = len(
                stocktake.line_ids.filtered(lambda line: line.difference)
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Dealers count their stock from the portal, without access to sequences.
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = sequences.next_by_code("dealer.stocktake") or _("New")
        return super().create(vals_list)

    @api.model
    def _from_portal(self, dealer, day, form):
        """The stocktake a dealer posts from its stock page, one line per
        ``count-<product id>-<lot id or 0>`` field filled in."""
        lines = []
        for key, value in form.items():
            parts = key.split("-")
            if len(parts) != 3 or parts[0] != "count" or not str(value).strip():
                continue
            try:
                counted = float(str(value).replace(",", ""))
            except ValueError as err:
                raise UserError(_("%(value)s is not a quantity.", value=value)) from err
            product_id, lot_id = int(parts[1]), int(parts[2])
            lines.append(
                {
                    "product_id": product_id,
                    "lot_id": lot_id or False,
                    "counted_quantity": counted,
                }
            )
        if not lines:
            raise UserError(_("Count at least one product."))
        known = dealer._dealer_authorised_products().ids + [
            product
            for product, _lot in self.env["dealer.stock.daily"]._stock_on_hand(
                dealer, day
            )
        ]
        if any(line["product_id"] not in known for line in lines):
            raise UserError(_("Count only your own products."))
        return self.create(
            {
                "dealer_id": dealer.id,
                "company_id": (dealer.company_id or self.env.company).id,
                "date": day,
                "line_ids": [fields.Command.create(line) for line in lines],
            }
        )

    def action_validate(self):
        """Write the adjustments that make the ledger agree with the count."""
        for stocktake in self:
            if stocktake.state != "draft":
                raise UserError(
                    _("%(name)s is validated already.", name=stocktake.name)
                )
            if not stocktake.line_ids:
                raise UserError(_("Count at least one product."))
            # The ledger as it is once the postings under way are committed.
            self.env["dealer.sellout.batch"]._lock(LOCK_LEDGER, stocktake.dealer_id.id)
            stock = self.env["dealer.stock.daily"]._stock_on_hand(
                stocktake.dealer_id, stocktake.date
            )
            for line in stocktake.line_ids:
                line.ledger_quantity = stock.get(
                    (line.product_id.id, line.lot_id.id or False), 0.0
                )
            kind = "opening" if stocktake.kind == "opening" else "adjustment"
            self.env["dealer.stock.move"].create(
                [
                    {
                        "dealer_id": stocktake.dealer_id.id,
                        "company_id": stocktake.company_id.id,
                        "date": stocktake.date,
                        "kind": kind,
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "quantity": line.difference,
                        "reference": stocktake.name,
                    }
                    for line in stocktake.line_ids
                    if line.difference
                ]
            )
            flagged = stocktake.kind == "stocktake" and bool(stocktake.difference_count)
            stocktake.write({"state": "done", "needs_reconciliation": flagged})
            if flagged:
                stocktake.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_(
                        "Reconcile the stock of %(dealer)s",
                        dealer=stocktake.dealer_id.name,
                    ),
                    note=_(
                        "%(count)s product(s) counted differ from the ledger.",
                        count=stocktake.difference_count,
                    ),
                    user_id=(
                        stocktake.dealer_id._dealer_channel_manager() or self.env.user
                    ).id,
                )
        return True

    def action_reconciled(self):
        self.write({"needs_reconciliation": False})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True


class DealerStocktakeLine(models.Model):
    _name = "dealer.stocktake.line"
    _description = "Dealer Stocktake Line"

    stocktake_id = fields.Many2one(
        "dealer.stocktake", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one("product.product", required=True)
    lot_id = fields.Many2one("stock.lot", domain="[('product_id', '=', product_id)]")
    counted_quantity = fields.Float(digits="Product Unit of Measure", required=True)
    ledger_quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="The ledger's stock on the stocktake date, read when it was validated.",
    )
    difference = fields.Float(
        digits="Product Unit of Measure", compute="_compute_difference", store=True
    )

    @api.depends("counted_quantity", "ledger_quantity")
    def _compute_difference(self):
        # Meaningful once validated: the ledger quantity is read then.
        for line in self:
            line.difference = line.counted_quantity - line.ledger_quantity
