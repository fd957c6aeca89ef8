from odoo import Command, fields
from odoo.tests import new_test_user

from .common import DealerCommon


class OrderingCommon(DealerCommon):
    """DealerCommon's channel, ready to order.

    Dealer A buys at its own pricelist (tea 25, energy drink 70), dealer B at
    another (tea 27); neither product is taxed, so amounts are easy to follow.
    Tea comes in packs of 5, at least 10 at a time, and is in stock in one lot.
    Dealer A has a credit limit of 1000 and a channel manager; the company
    checks credit limits, and portal orders wait for approval only when over
    credit.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {"account_use_credit_limit": True, "dealer_order_approval": "over_credit"}
        )
        cls.currency = cls.company.currency_id
        (cls.product_tea | cls.product_energy).write({"taxes_id": [Command.clear()]})
        cls.product_tea.write({"dealer_pack_qty": 5, "dealer_min_qty": 10})
        cls.pricelist_a, cls.pricelist_b = cls.env["product.pricelist"].create(
            [
                {
                    "name": "一级经销商价 (test)",
                    "currency_id": cls.currency.id,
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "0_product_variant",
                                "product_id": cls.product_tea.id,
                                "compute_price": "fixed",
                                "fixed_price": 25.0,
                            }
                        ),
                        Command.create(
                            {
                                "applied_on": "0_product_variant",
                                "product_id": cls.product_energy.id,
                                "compute_price": "fixed",
                                "fixed_price": 70.0,
                            }
                        ),
                    ],
                },
                {
                    "name": "二级分销商价 (test)",
                    "currency_id": cls.currency.id,
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "0_product_variant",
                                "product_id": cls.product_tea.id,
                                "compute_price": "fixed",
                                "fixed_price": 27.0,
                            }
                        ),
                    ],
                },
            ]
        )
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        cls.manager = new_test_user(
            cls.env,
            login="channel_boss",
            name="渠道经理",
            groups="dealer_portal.group_channel_manager,"
            "sales_team.group_sale_salesman_all_leads,stock.group_stock_user,"
            "account.group_account_invoice",
        )
        cls.dealer_a.write(
            {
                "property_product_pricelist": cls.pricelist_a.id,
                "property_payment_term_id": cls.payment_term.id,
                "credit_limit": 1000.0,
                "user_id": cls.manager.id,
            }
        )
        cls.dealer_b.write({"property_product_pricelist": cls.pricelist_b.id})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.lot_tea = cls.env["stock.lot"].create(
            {"name": "T-LOT-1", "product_id": cls.product_tea.id}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_tea, cls.warehouse.lot_stock_id, 500, lot_id=cls.lot_tea
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_energy, cls.warehouse.lot_stock_id, 500
        )

    @classmethod
    def _order(cls, dealer, lines, **values):
        """A confirmed order of ``dealer``, entered by staff: [(product, qty)]."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": dealer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, order, quantities=None):
        """Ship an order's delivery, all of it or ``{product: quantity}``."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.quantity = quantity
            if move.product_id.tracking == "lot":
                move.move_line_ids.lot_id = cls.lot_tea
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        return picking

    @classmethod
    def _invoice(cls, order, date=None):
        invoice = order._create_invoices()
        invoice.invoice_date = date or fields.Date.today()
        invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount, date=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date or fields.Date.today()})
            ._create_payments()
        )

    def _cart(self, user, dealer):
        """The user's cart, as the portal handles it."""
        return (
            self.env["sale.order"]
            .with_user(user)
            .with_company(self.company)
            ._dealer_cart(dealer, create=True)
        )
