from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_amount

DEALER_APPROVAL_STATES = [
    ("to_approve", "Waiting for Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
DEALER_APPROVAL_REASONS = [
    ("policy", "Every order is approved"),
    ("credit", "Over the credit limit"),
]
APPROVAL_ACTIVITY = "dealer_portal.mail_activity_type_order_approval"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dealer_portal_cart = fields.Boolean(
        copy=False,
        readonly=True,
        help="This quotation is a dealer's cart in the portal; placing the order "
        "turns it into a real order.",
    )
    dealer_user_id = fields.Many2one(
        "res.users",
        string="Ordered By",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The dealer's portal user who filled the cart and placed the order.",
    )
    dealer_placed_date = fields.Datetime(
        string="Placed in Portal", copy=False, readonly=True
    )
    dealer_approval_state = fields.Selection(
        DEALER_APPROVAL_STATES,
        string="Dealer Approval",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
    )
    dealer_approval_reason = fields.Selection(
        DEALER_APPROVAL_REASONS,
        string="Approval Needed Because",
        copy=False,
        readonly=True,
    )
    dealer_credit_exposure = fields.Float(
        string="Dealer Credit in Use",
        digits="Account",
        copy=False,
        readonly=True,
        help="What the dealer would owe with this order, in the company currency, "
        "when it was placed.",
    )
    dealer_credit_limit = fields.Float(
        digits="Account",
        copy=False,
        readonly=True,
        help="The dealer's credit limit when the order was placed.",
    )
    dealer_approval_message = fields.Char(
        string="Approval Needed",
        compute="_compute_dealer_approval_message",
    )
    dealer_reject_reason = fields.Text(
        string="Rejection Reason", copy=False, readonly=True, tracking=True
    )

    # ------------------------------------------------------------------
    # Computes

    @api.depends_context("lang")
    @api.depends(
        "dealer_approval_reason", "dealer_credit_exposure", "dealer_credit_limit"
    )
    def _compute_dealer_approval_message(self):
        """Why the order waits, in the reader's language."""
        for order in self:
            currency = order.company_id.currency_id
            if order.dealer_approval_reason == "policy":
                message = _("Every portal order is approved by a channel manager.")
            elif order.dealer_approval_reason == "credit":
                message = _(
                    "Over the credit limit: with this order you would owe "
                    "%(exposure)s, above your limit of %(limit)s.",
                    exposure=format_amount(
                        self.env, order.dealer_credit_exposure, currency
                    ),
                    limit=format_amount(self.env, order.dealer_credit_limit, currency),
                )
            else:
                message = False
            order.dealer_approval_message = message

    # ------------------------------------------------------------------
    # CRUD and standard actions

    def action_confirm(self):
        waiting = self.filtered(
            lambda order: order.dealer_approval_state == "to_approve"
        )
        res = super().action_confirm()
        self.filtered("dealer_portal_cart").dealer_portal_cart = False
        if waiting:
            waiting.dealer_approval_state = "approved"
            waiting.activity_feedback([APPROVAL_ACTIVITY])
            for order in waiting:
                order._dealer_notify(
                    order._dealer_env()._(
                        "Your order %(order)s is approved and confirmed.",
                        order=order.name,
                    )
                )
        return res

    def _action_cancel(self):
        waiting = self.filtered(
            lambda order: order.dealer_approval_state == "to_approve"
        )
        res = super()._action_cancel()
        if waiting:
            waiting.dealer_approval_state = "rejected"
            waiting.activity_unlink([APPROVAL_ACTIVITY])
        return res

    def action_dealer_approve(self):
        if any(order.dealer_approval_state != "to_approve" for order in self):
            raise UserError(_("Only orders waiting for approval can be approved."))
        return self.action_confirm()

    def action_dealer_reject(self):
        if any(order.dealer_approval_state != "to_approve" for order in self):
            raise UserError(_("Only orders waiting for approval can be rejected."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_portal.dealer_order_reject_action"
        )
        action["context"] = {"default_order_ids": self.ids}
        return action

    # ------------------------------------------------------------------
    # Dealer portal: cart

    @api.model
    def _dealer_cart(self, dealer, create=False):
        """Return the logged-in user's cart for ``dealer``, in sudo.

        The cart is a draft order of the dealer, so it survives reloads and
        follows the user from one device to another. It is returned in sudo
        because portal users may not write orders; every method that changes it
        checks products and quantities against the dealer first.

        :param dealer: the dealer partner the user works for
        :param bool create: create the cart when the user has none
        :return: the cart, or an empty recordset
        """
        # Portal users may not read or create orders they do not follow; the
        # search is bound to the user's own cart for its own dealer.
        SaleOrder = self.sudo()
        cart = SaleOrder.search(
            [
                ("partner_id", "=", dealer.id),
                ("dealer_user_id", "=", self.env.uid),
                ("dealer_portal_cart", "=", True),
                ("state", "=", "draft"),
                ("company_id", "=", self.env.company.id),
            ],
            order="id desc",
            limit=1,
        )
        if not cart and create:
            cart = SaleOrder.with_context(mail_create_nosubscribe=True).create(
                {
                    "partner_id": dealer.id,
                    "dealer_user_id": self.env.uid,
                    "dealer_portal_cart": True,
                    "company_id": self.env.company.id,
                }
            )
        return cart

    def _dealer_cart_products(self, dealer, product_ids):
        """Return those of ``product_ids`` the dealer may order, in sudo.

        Portal users may not read products: the search is bound to the dealer's
        authorised, saleable products.
        """
        return (
            self.env["product.product"]
            .sudo()
            .search([("id", "in", list(product_ids)), *dealer._dealer_product_domain()])
        )

    def _dealer_cart_set_quantity(self, product_id, quantity):
        """Set the quantity of a product in the cart; zero removes it.

        :param product_id: the product's id, as posted
        :param quantity: the quantity, as posted, in the product's unit
        :return: the cart line, or an empty recordset when it was removed
        :raise UserError: with a message for the dealer, when the product is not
            in its catalog or the quantity breaks the product's ordering rules
        """
        self.ensure_one()
        self._dealer_check_cart()
        dealer = self.partner_id
        try:
            product_id = int(product_id)
            quantity = float(str(quantity).strip() or 0)
        except ValueError as error:
            raise UserError(_("Enter the quantity as a number.")) from error
        product = self._dealer_cart_products(dealer, [product_id])
        if not product:
            raise UserError(_("This product is not in your catalog."))
        line = self.order_line.filtered(
            lambda line: line.product_id == product and not line.display_type
        )
        if float_is_zero(quantity, precision_rounding=product.uom_id.rounding):
            line.unlink()
            return line.browse()
        error = product._dealer_quantity_error(quantity)
        if error:
            raise UserError(error)
        if line:
            line[1:].unlink()
            line = line[:1]
            line.product_uom_qty = quantity
        else:
            # Only the product and quantity come from the dealer: the price is
            # the dealer's pricelist price, computed by the order line.
            line = self.env["sale.order.line"].create(
                {
                    "order_id": self.id,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                }
            )
        return line

    def _dealer_reorder(self, cart):
        """Add this order's products, at its quantities, to ``cart``.

        :return: the names of the products left out because the dealer may no
            longer order them
        """
        self.ensure_one()
        cart._dealer_check_cart()
        lines = self.order_line.filtered(
            lambda line: line.product_id and not line.display_type
        )
        allowed = self._dealer_cart_products(cart.partner_id, lines.product_id.ids)
        quantities = {}
        for line in lines.filtered(lambda line: line.product_id in allowed):
            quantity = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            quantities[line.product_id] = (
                quantities.get(line.product_id, 0.0) + quantity
            )
        in_cart = {
            line.product_id: line
            for line in cart.order_line
            if line.product_id and not line.display_type
        }
        new_lines = []
        for product, quantity in quantities.items():
            quantity = product._dealer_round_up(
                quantity
                + (in_cart[product].product_uom_qty if product in in_cart else 0)
            )
            if product in in_cart:
                in_cart[product].product_uom_qty = quantity
            else:
                new_lines.append(
                    {
                        "order_id": cart.id,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                    }
                )
        self.env["sale.order.line"].create(new_lines)
        return (lines.product_id - allowed).mapped("display_name")

    def _dealer_check_cart(self):
        self.ensure_one()
        if not self.dealer_portal_cart or self.state != "draft":
            raise UserError(_("This order is no longer your cart."))

    # ------------------------------------------------------------------
    # Dealer portal: placing an order

    def _dealer_delivery_addresses(self):
        """The addresses the dealer may have this order delivered to."""
        self.ensure_one()
        dealer = self.partner_id
        contacts = dealer.child_ids.filtered(
            lambda contact: contact.type == "delivery" and contact.active
        )
        return dealer | contacts

    def _dealer_place_order(self, client_order_ref="", shipping_id=None, note=""):
        """Turn the cart into a real order of the dealer.

        Products and quantities are checked again, prices recomputed from the
        dealer's pricelist, and the dealer's terms and salesperson applied.
        The order is then confirmed, or waits for a channel manager, as the
        company's approval setting and the dealer's credit decide.

        :param str client_order_ref: the dealer's own reference
        :param shipping_id: the delivery address chosen, as posted
        :param str note: a note from the dealer, posted on the order
        :return: True when the order is confirmed, False when it waits
        :raise UserError: with a message for the dealer
        """
        self.ensure_one()
        self._dealer_check_cart()
        dealer = self.partner_id
        lines = self.order_line.filtered(lambda line: not line.display_type)
        if not lines:
            raise UserError(_("Your cart is empty."))
        allowed = self._dealer_cart_products(dealer, lines.product_id.ids)
        for line in lines:
            if line.product_id not in allowed:
                raise UserError(
                    _(
                        "%(product)s is no longer in your catalog: remove it from "
                        "your cart.",
                        product=line.product_id.display_name,
                    )
                )
            error = line.product_id._dealer_quantity_error(line.product_uom_qty)
            if error:
                raise UserError(error)
        addresses = self._dealer_delivery_addresses()
        shipping = addresses.filtered(
            lambda address: str(address.id) == str(shipping_id)
        )
        if shipping_id and not shipping:
            raise UserError(_("Choose one of your delivery addresses."))
        company = self.company_id
        self.write(
            {
                "client_order_ref": (client_order_ref or "").strip()[:100] or False,
                "partner_shipping_id": (shipping or dealer).id,
                "partner_invoice_id": dealer.address_get(["invoice"])["invoice"],
                "pricelist_id": dealer.with_company(
                    company
                ).property_product_pricelist.id,
                "payment_term_id": dealer.with_company(
                    company
                ).property_payment_term_id.id,
                "user_id": dealer.user_id.id or self.user_id.id,
                "require_signature": False,
                "require_payment": False,
                "validity_date": False,
                "dealer_portal_cart": False,
                "dealer_placed_date": fields.Datetime.now(),
            }
        )
        self._recompute_prices()
        self.message_subscribe(partner_ids=(dealer | self.env.user.partner_id).ids)
        note = (note or "").strip()
        if note:
            self.message_post(
                body=_("Note from the dealer: %(note)s", note=note),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        approval = self._dealer_approval_values()
        if not approval:
            self.action_confirm()
            self._dealer_notify(
                _("Order placed in the dealer portal and confirmed."), notify=False
            )
            return True
        self.write({"state": "sent", "dealer_approval_state": "to_approve", **approval})
        self._dealer_request_approval()
        return False

    def _dealer_approval_values(self):
        """Tell why this order must wait for a channel manager, if it must.

        :return: the values that record why (``dealer_approval_reason`` and the
            credit figures), or an empty dict when the order may be confirmed
        """
        self.ensure_one()
        policy = self.company_id.dealer_order_approval
        if policy == "never":
            return {}
        if policy == "always":
            return {"dealer_approval_reason": "policy"}
        company = self.company_id
        amount = self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            fields.Date.context_today(self),
        )
        credit = self.partner_id.with_company(company)._dealer_credit(amount=amount)
        if not credit["over"]:
            return {}
        return {
            "dealer_approval_reason": "credit",
            "dealer_credit_exposure": credit["exposure"],
            "dealer_credit_limit": credit["limit"],
        }

    def _dealer_request_approval(self):
        self.ensure_one()
        # The manager of the dealer's territory decides, else its salesperson.
        approver = (
            self.partner_id.commercial_partner_id._dealer_channel_manager()
            or self.user_id
        )
        approver_env = self.with_context(lang=approver.lang).env
        self.activity_schedule(
            APPROVAL_ACTIVITY,
            user_id=approver.id or self.env.ref("base.user_admin").id,
            summary=approver_env._(
                "Approve the dealer order %(order)s", order=self.name
            ),
            note=self.with_env(approver_env).dealer_approval_message,
        )
        self._dealer_notify(
            _(
                "Order placed in the dealer portal; it waits for approval: %(reason)s",
                reason=self.dealer_approval_message,
            ),
            notify=False,
        )

    def _dealer_reject(self, reason):
        """Reject orders waiting for approval, and tell the dealer why."""
        if any(order.dealer_approval_state != "to_approve" for order in self):
            raise UserError(_("Only orders waiting for approval can be rejected."))
        self.write({"dealer_reject_reason": reason})
        self.activity_feedback([APPROVAL_ACTIVITY], feedback=reason)
        self._action_cancel()
        for order in self:
            order._dealer_notify(
                order._dealer_env()._(
                    "Your order %(order)s is rejected: %(reason)s",
                    order=order.name,
                    reason=reason,
                )
            )

    def _dealer_env(self):
        """An environment speaking the dealer's language, for messages to it."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang).env

    def _dealer_notify(self, body, notify=True):
        """Post ``body`` on the order, where the dealer reads it in the portal.

        :param bool notify: also send it to the order's followers, the dealer's
            users among them
        """
        self.ensure_one()
        self.message_post(
            body=Markup("<p>%s</p>") % body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment" if notify else "mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Dealer portal: status

    def _dealer_portal_status(self):
        """Return the label and badge class that sum up the order for a dealer."""
        self.ensure_one()
        if self.dealer_approval_state == "to_approve" and self.state == "sent":
            return _("Waiting for approval"), "text-bg-warning"
        if self.state == "cancel":
            if self.dealer_approval_state == "rejected":
                return _("Rejected"), "text-bg-danger"
            return _("Cancelled"), "text-bg-danger"
        if self.state in ("draft", "sent"):
            return _("Quotation"), "text-bg-info"
        if self.invoice_status == "invoiced" and self.delivery_status in (
            "full",
            False,
        ):
            invoices = self.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            if invoices and all(
                move.payment_state in ("paid", "in_payment", "reversed")
                for move in invoices
            ):
                return _("Paid"), "text-bg-success"
            return _("Invoiced"), "text-bg-success"
        if self.delivery_status == "full":
            return _("Delivered"), "text-bg-success"
        if self.delivery_status in ("partial", "started"):
            return _("Partially delivered"), "text-bg-info"
        return _("Confirmed"), "text-bg-primary"

    def _dealer_portal_timeline(self):
        """Return the steps of the order as the dealer follows them.

        Each step is a dict with ``label``, ``status`` (``done``, ``partial``,
        ``current``, ``todo`` or ``failed``), ``date`` and ``details`` (lines of
        text: deliveries with their carrier and tracking reference, invoices).
        Read on the order in sudo, as the portal order page holds it.
        """
        self.ensure_one()
        steps = [
            self._dealer_step(
                "done",
                (_("Placed"), _("Placed"), _("Placed")),
                self.dealer_placed_date or self.create_date,
            )
        ]
        if self.dealer_approval_state:
            steps.append(self._dealer_timeline_approval())
        if self.state == "cancel":
            if self.dealer_approval_state != "rejected":
                steps.append(
                    self._dealer_step(
                        "failed", (_("Cancelled"), _("Cancelled"), _("Cancelled"))
                    )
                )
            return steps
        confirmed = self.state == "sale"
        steps.append(
            self._dealer_step(
                "done" if confirmed else "todo",
                (_("Confirmed"), _("Confirmed"), _("To confirm")),
                self.date_order if confirmed else False,
            )
        )
        steps += self._dealer_timeline_delivery()
        steps += self._dealer_timeline_invoicing()
        # Unless it waits for approval, the order waits for its first step to do.
        if not any(step["status"] == "current" for step in steps):
            for step in steps:
                if step["status"] == "todo":
                    step["status"] = "current"
                    break
        return steps

    def _dealer_step(self, status, labels, date=False, details=None):
        """One step of the timeline.

        :param labels: the step's label when done, partly done, and still to do
        """
        done, partial, todo = labels
        return {
            "label": {"done": done, "partial": partial}.get(status, todo),
            "status": status,
            "date": date,
            "details": details or [],
        }

    def _dealer_timeline_approval(self):
        state = self.dealer_approval_state
        labels = (_("Approved"), _("Approved"), _("Waiting for approval"))
        if state == "to_approve":
            # The reason shows above the timeline, in the page's alert.
            return self._dealer_step("current", labels)
        if state == "rejected":
            return self._dealer_step(
                "failed",
                (_("Rejected"), _("Rejected"), _("Rejected")),
                self.write_date,
                [self.dealer_reject_reason or ""],
            )
        return self._dealer_step("done", labels, self.date_order)

    def _dealer_timeline_delivery(self):
        pickings = self.picking_ids.filtered(
            lambda picking: (
                picking.picking_type_code == "outgoing" and picking.state != "cancel"
            )
        ).sorted(
            lambda picking: (picking.date_done or picking.scheduled_date, picking.id)
        )
        done = pickings.filtered(lambda picking: picking.state == "done")
        picked = pickings.filtered(
            lambda picking: (
                picking.state == "done"
                or (picking.move_ids and all(picking.move_ids.mapped("picked")))
            )
        )
        lines = self.order_line.filtered(
            lambda line: line.product_id.type == "consu" and not line.display_type
        )
        delivered = all(
            float_compare(
                line.qty_delivered,
                line.product_uom_qty,
                precision_rounding=line.product_uom.rounding,
            )
            >= 0
            for line in lines
        )
        started = any(line.qty_delivered for line in lines)
        if pickings and picked == pickings:
            picked_status = "done"
        else:
            picked_status = "partial" if picked else "todo"
        if lines and delivered and done:
            shipped_status = "done"
        else:
            shipped_status = "partial" if started else "todo"
        return [
            self._dealer_step(
                picked_status, (_("Picked"), _("Partially picked"), _("To pick"))
            ),
            self._dealer_step(
                shipped_status,
                (_("Shipped / delivered"), _("Partially delivered"), _("To ship")),
                max(done.mapped("date_done")) if done else False,
                [picking._dealer_tracking_text() for picking in pickings],
            ),
        ]

    def _dealer_timeline_invoicing(self):
        invoices = self.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        fully_invoiced = self.invoice_status == "invoiced"
        paid = invoices.filtered(
            lambda move: move.payment_state in ("paid", "in_payment", "reversed")
        )
        partly_paid = invoices.filtered(lambda move: move.payment_state == "partial")
        if invoices and fully_invoiced:
            invoiced_status = "done"
        else:
            invoiced_status = "partial" if invoices else "todo"
        if invoices and fully_invoiced and paid == invoices:
            paid_status = "done"
        else:
            paid_status = "partial" if paid or partly_paid else "todo"
        return [
            self._dealer_step(
                invoiced_status,
                (_("Invoiced"), _("Partially invoiced"), _("To invoice")),
                max(invoices.mapped("invoice_date")) if invoices else False,
                invoices.mapped("name"),
            ),
            self._dealer_step(
                paid_status, (_("Paid"), _("Partially paid"), _("To pay"))
            ),
        ]
