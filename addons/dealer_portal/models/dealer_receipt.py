from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

SHORTFALL_ACTIVITY = "dealer_portal.mail_activity_type_receipt_shortfall"


class DealerReceipt(models.Model):
    """A dealer's confirmation of what arrived from one of our deliveries.

    One per outgoing delivery done to a dealer, opened when the delivery is
    validated. The dealer confirms it in the portal, line by line; a shortfall
    needs a reason and reaches the dealer's channel manager as an activity.
    """

    _name = "dealer.receipt"
    _description = "Dealer Receipt Confirmation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_shipped desc, id desc"
    _rec_name = "picking_id"

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True
    )
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Sales Order")
    date_shipped = fields.Datetime(related="picking_id.date_done", store=True)
    state = fields.Selection(
        [("draft", "To Confirm"), ("confirmed", "Confirmed")],
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
    )
    date_confirmed = fields.Datetime(readonly=True, copy=False, tracking=True)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_ids = fields.One2many("dealer.receipt.line", "receipt_id")
    has_shortfall = fields.Boolean(
        compute="_compute_has_shortfall", store=True, string="Shortfall"
    )
    note = fields.Text(help="The dealer's remarks on the delivery as a whole.")

    _sql_constraints = [
        (
            "picking_uniq",
            "unique(picking_id)",
            "A delivery has only one receipt confirmation.",
        ),
    ]

    @api.depends("line_ids.quantity_short")
    def _compute_has_shortfall(self):
        for receipt in self:
            receipt.has_shortfall = any(
                line.quantity_short > 0 for line in receipt.line_ids
            )

    def action_confirm(self):
        """Confirm the receipts as their lines stand, on the dealer's behalf."""
        if any(receipt.state != "draft" for receipt in self):
            raise UserError(_("This receipt is already confirmed."))
        self.line_ids._check_shortfall_reason()
        self.write(
            {
                "state": "confirmed",
                "date_confirmed": fields.Datetime.now(),
                "confirmed_by_id": self.env.uid,
            }
        )
        self.filtered("has_shortfall")._dealer_report_shortfall()
        self._dealer_post_to_ledger()
        return True

    def action_reset_to_draft(self):
        if (
            self.env["dealer.stock.move"]
            .sudo()
            .search_count(
                [("stock_move_id", "in", self.line_ids.move_line_id.move_id.ids)],
                limit=1,
            )
        ):
            raise UserError(
                _(
                    "This receipt is in the dealer's ledger already; record a "
                    "stocktake adjustment instead."
                )
            )
        self.write(
            {"state": "draft", "date_confirmed": False, "confirmed_by_id": False}
        )
        return True

    def _dealer_post_to_ledger(self):
        """Write the receipts into the dealers' ledgers, as confirmed, when the
        company waits for the dealer's confirmation (else the delivery did)."""
        receipts = self.filtered(
            lambda receipt: receipt.company_id.dealer_receipt_source == "confirmation"
        )
        vals_list = [
            {
                "dealer_id": receipt.dealer_id.id,
                "company_id": receipt.company_id.id,
                "date": fields.Date.context_today(receipt, receipt.date_confirmed),
                "kind": "receipt",
                "product_id": line.product_id.id,
                "lot_id": line.lot_id.id,
                "quantity": line.quantity_received,
                "stock_move_id": line.move_line_id.move_id.id,
                "reference": receipt.picking_id.name,
            }
            for receipt in receipts
            for line in receipt.line_ids
            if line.quantity_received > 0
        ]
        # Confirming a receipt, the dealer (or staff for it) writes its ledger,
        # which nobody writes by hand.
        self.env["dealer.stock.move"].sudo().create(vals_list)

    def _portal_confirm(self, form):
        """Confirm this receipt with the quantities a dealer posted.

        :param form: the posted fields, as strings: ``quantity_<line id>``,
            ``reason_<line id>``, ``reason_note_<line id>`` and ``note``; fields
            of lines that are not this receipt's are ignored
        :return: per line id, the message to show next to it; empty when the
            receipt was confirmed
        """
        self.ensure_one()
        self.check_access("read")
        # Portal users may not read products nor write receipts through the ORM,
        # where they could change what was shipped; they may read this receipt,
        # and only its quantities received and reasons are taken from the form.
        receipt = self.sudo()
        if receipt.state != "draft":
            raise UserError(_("This receipt is already confirmed."))
        reasons = dict(
            receipt.line_ids._fields["shortfall_reason"]._description_selection(
                self.env
            )
        )
        errors, updates = {}, []
        for line in receipt.line_ids:
            raw = (form.get(f"quantity_{line.id}") or "").strip()
            reason = form.get(f"reason_{line.id}") or False
            reason = reason if reason in reasons else False
            note = (form.get(f"reason_note_{line.id}") or "").strip()[:200] or False
            try:
                received = float(raw) if raw else line.quantity_shipped
            except ValueError:
                errors[line.id] = _("Enter the quantity received as a number.")
                continue
            error = line._quantity_error(received, reason, note)
            if error:
                errors[line.id] = error
            updates.append(
                (
                    line,
                    {
                        "quantity_received": received,
                        "shortfall_reason": reason,
                        "shortfall_note": note,
                    },
                )
            )
        if errors:
            return errors
        for line, values in updates:
            line.write(values)
        receipt.note = (form.get("note") or "").strip()[:2000] or False
        receipt.action_confirm()
        return {}

    def _dealer_report_shortfall(self):
        """Tell the dealer's channel manager what was missing on arrival."""
        for receipt in self:
            manager = receipt.dealer_id._dealer_channel_manager()
            short = receipt.line_ids.filtered(lambda line: line.quantity_short > 0)
            items = Markup("").join(
                Markup("<li>%s</li>") % line._shortfall_text() for line in short
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                _(
                    "%(dealer)s received less than shipped on %(delivery)s:",
                    dealer=receipt.dealer_id.name,
                    delivery=receipt.picking_id.name,
                ),
                items,
            )
            receipt.message_post(body=body, subtype_xmlid="mail.mt_note")
            receipt.activity_schedule(
                SHORTFALL_ACTIVITY,
                user_id=manager.id or self.env.ref("base.user_admin").id,
                note=body,
            )
