import logging
import time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.dealer_portal.models.fields_bulk import BulkMany2one

_logger = logging.getLogger(__name__)

# The system parameter holding when a manager asked for a rebuild.
REBUILD_REQUESTED = "channel_analytics.rebuild_requested"
# Ledger kinds counted as trade; openings, stocktakes and a sub-dealer's
# inbound transfers only move the stock measure.
SALE_KINDS = ("sellout", "transfer_out")
RETURN_KINDS = ("customer_return",)
SELLIN_KINDS = ("receipt", "return_to_supplier")
# The measures every summary keeps, and how one ledger line adds to them
# (aliases: m the ledger line, l its sell-out line, price the sell-in price).
MEASURES = {
    "sellout_qty": "CASE WHEN m.kind IN %(sale)s THEN -m.quantity ELSE 0 END",
    "sellout_amount": "CASE WHEN m.kind IN %(sale)s THEN %(line_amount)s ELSE 0 END",
    "return_qty": "CASE WHEN m.kind IN %(ret)s THEN m.quantity ELSE 0 END",
    "return_amount": "CASE WHEN m.kind IN %(ret)s THEN -%(line_amount)s ELSE 0 END",
    "net_qty": "CASE WHEN m.kind IN %(sale_ret)s THEN -m.quantity ELSE 0 END",
    "net_amount": "CASE WHEN m.kind IN %(sale_ret)s THEN %(line_amount)s ELSE 0 END",
    "sellin_qty": "CASE WHEN m.kind IN %(sellin)s THEN m.quantity ELSE 0 END",
    "sellin_amount": "CASE WHEN m.kind IN %(sellin)s "
    "THEN m.quantity * %(price)s ELSE 0 END",
    "line_count": "CASE WHEN m.kind IN %(sale_ret)s THEN 1 ELSE 0 END",
    "stock_qty": "m.quantity",
}


def _identity(sql):
    """What makes two SQL expressions the same."""
    return sql.code, tuple(sql.params)


class ChannelFlowMeasures(models.AbstractModel):
    """The measures of sell-in, sell-out and returns, shared by the summaries
    and the reports that read them."""

    _name = "channel.flow.measures"
    _description = "Channel Flow Measures"

    currency_id = fields.Many2one("res.currency", readonly=True)
    sellout_qty = fields.Float(
        string="Sell-out Qty", digits="Product Unit of Measure", readonly=True
    )
    sellout_amount = fields.Monetary(string="Sell-out", readonly=True)
    return_qty = fields.Float(
        string="Returned Qty", digits="Product Unit of Measure", readonly=True
    )
    return_amount = fields.Monetary(string="Returns", readonly=True)
    net_qty = fields.Float(
        string="Net Sell-out Qty", digits="Product Unit of Measure", readonly=True
    )
    net_amount = fields.Monetary(string="Net Sell-out", readonly=True)
    sellin_qty = fields.Float(
        string="Sell-in Qty", digits="Product Unit of Measure", readonly=True
    )
    sellin_amount = fields.Monetary(string="Sell-in", readonly=True)
    line_count = fields.Integer(string="Sell-out Lines", readonly=True)


class ChannelFlowMixin(models.AbstractModel):
    """Sell-in, sell-out and returns summed from the dealer ledger.

    A summary is one table of measures per key (its ``_flow_keys``). It is
    written only with SQL: added to when ledger lines are written (the
    ledger's ``_after_moves_added`` hook, in the same transaction) and rebuilt
    from the whole ledger by ``_rebuild`` for repair. Reports and dashboards
    read the summaries, never the raw lines.
    """

    _name = "channel.flow.mixin"
    _inherit = "channel.flow.measures"
    _description = "Channel Flow Summary"
    _log_access = False
    _order = "date desc"

    company_id = BulkMany2one("res.company", required=True, readonly=True)
    dealer_id = BulkMany2one("res.partner", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    stock_qty = fields.Float(
        string="Stock Change",
        digits="Product Unit of Measure",
        readonly=True,
        help="Net movement of the dealer's stock; summed up to a date, its stock "
        "on hand at that date.",
    )

    def _flow_keys(self):
        """``{column: SQL expression}`` of the summary's key, over the aliases
        of ``_flow_from``; the table has a unique index on ``_flow_index``."""
        return {
            "company_id": SQL("m.company_id"),
            "dealer_id": SQL("m.dealer_id"),
            "date": SQL("m.date"),
        }

    def _flow_index(self):
        return SQL("company_id, dealer_id, date")

    def init(self):
        if self._abstract:
            return
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s)",
                SQL.identifier(f"{self._table}_key"),
                SQL.identifier(self._table),
                self._flow_index(),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (date)",
                SQL.identifier(f"{self._table}_date"),
                SQL.identifier(self._table),
            )
        )

    def _flow_from(self):
        return SQL(
            """
            dealer_stock_move m
            JOIN product_product pp ON pp.id = m.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN dealer_sellout_line l ON l.id = m.sellout_line_id
            LEFT JOIN dealer_customer c ON c.id = m.customer_id
            LEFT JOIN stock_move sm ON sm.id = m.stock_move_id
            LEFT JOIN sale_order_line sol ON sol.id = sm.sale_line_id
            LEFT JOIN (SELECT partner_id, MIN(territory_id) AS territory_id
                         FROM dealer_territory_partner_rel
                        GROUP BY partner_id) home ON home.partner_id = m.dealer_id
            """
        )

    def _flow_measures(self):
        """``{column: SQL expression}``: what one ledger line adds."""
        params = {
            "sale": SQL("%s", SALE_KINDS),
            "ret": SQL("%s", RETURN_KINDS),
            "sale_ret": SQL("%s", SALE_KINDS + RETURN_KINDS),
            "sellin": SQL("%s", SELLIN_KINDS),
            "line_amount": SQL("COALESCE(l.amount, l.quantity * l.unit_price, 0)"),
            # Sell-in at the price of the order line delivered, net of
            # discount; the list price for deliveries without an order.
            "price": SQL(
                "COALESCE(sol.price_subtotal / NULLIF(sol.product_uom_qty, 0), "
                "pt.list_price, 0)"
            ),
        }
        return {name: SQL(expr, **params) for name, expr in MEASURES.items()}

    @api.model
    def _add_moves(self, where, summaries=None):
        """Add the ledger lines matching ``where`` (SQL on alias ``m``) to the
        summaries named (this one by default), in one statement: the lines are
        read and joined once and summed by the key of the first summary, the
        finest; it adds those sums as they are, each other summary adds them up
        by its own key. So every key of the others must be a function of the
        first one's key (a month of its date, a category of its product): it
        is carried along with ``MIN``.

        No two transactions add to the same rows at once, so the rows need no
        locking order: every key holds the dealer, and whoever writes a
        dealer's ledger lines holds that dealer's ledger lock until it commits
        (``dealer.stock.move.create``, sell-out posting); a rebuild truncates.
        """
        summaries = [self.env[name] for name in summaries or [self._name]]
        measures = self._flow_measures()
        # each key of each summary, once: the columns k0, k1… of the sums
        fine = {}
        for summary in summaries:
            for expr in summary._flow_keys().values():
                fine.setdefault(_identity(expr), (f"k{len(fine)}", expr))
        grouped = len({_identity(expr) for expr in summaries[0]._flow_keys().values()})
        adds = [
            summary._add_sums_sql(
                {
                    name: SQL.identifier(fine[_identity(expr)][0])
                    for name, expr in summary._flow_keys().items()
                },
                measures,
                finest=index == 0,
            )
            for index, summary in enumerate(summaries)
        ]
        keys = [
            SQL(
                "%s AS %s" if index < grouped else "MIN(%s) AS %s",
                expr,
                SQL.identifier(name),
            )
            for index, (name, expr) in enumerate(fine.values())
        ]
        self.env.cr.execute(
            SQL(
                """
                WITH fine AS (
                    SELECT %(keys)s, %(sums)s
                      FROM %(source)s
                     WHERE %(where)s
                     GROUP BY %(group)s
                )%(adds)s
                """,
                keys=SQL(", ").join(keys),
                sums=SQL(", ").join(
                    SQL("SUM(%s) AS %s", expr, SQL.identifier(name))
                    for name, expr in measures.items()
                ),
                source=self._flow_from(),
                where=where,
                group=SQL(", ").join(SQL("%s", index + 1) for index in range(grouped)),
                adds=SQL(" ").join(
                    [
                        *(
                            SQL(", %s AS (%s)", SQL.identifier(f"add_{index}"), add)
                            for index, add in enumerate(adds[:-1])
                        ),
                        adds[-1],
                    ]
                ),
            )
        )
        for summary in summaries:
            summary.invalidate_model()

    def _add_sums_sql(self, keys, measures, finest=False):
        """The statement adding the sums of CTE ``fine`` to this summary, by
        ``keys`` (``{column: SQL over fine}``); ``finest``: the sums are by
        these keys already, one row each."""
        columns = [*keys, *measures]
        if finest:
            sums = SQL(", ").join(SQL.identifier(name) for name in measures)
            group = SQL()
        else:
            sums = SQL(", ").join(
                SQL("SUM(%s)", SQL.identifier(name)) for name in measures
            )
            group = SQL(
                "GROUP BY %s",
                SQL(", ").join(SQL("%s", index + 1) for index in range(len(keys))),
            )
        return SQL(
            """
            INSERT INTO %(table)s (%(columns)s)
            SELECT %(keys)s, %(sums)s
              FROM fine
             %(group)s
                ON CONFLICT (%(index)s) DO UPDATE SET %(add)s
            """,
            table=SQL.identifier(self._table),
            columns=SQL(", ").join(SQL.identifier(name) for name in columns),
            keys=SQL(", ").join(keys.values()),
            sums=sums,
            group=group,
            index=self._flow_index(),
            add=SQL(", ").join(
                SQL(
                    "%(col)s = %(table)s.%(col)s + EXCLUDED.%(col)s",
                    col=SQL.identifier(name),
                    table=SQL.identifier(self._table),
                )
                for name in measures
            ),
        )

    @api.model
    def _rebuild(self):
        """Recompute the summary from the whole ledger (repair). One summary
        at a time: together, the sums at the finest key of all would be as
        large as the ledger."""
        self.env["dealer.stock.move"].flush_model()
        self.env.cr.execute(SQL("TRUNCATE %s", SQL.identifier(self._table)))
        self._add_moves(SQL("TRUE"))
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))

    def action_rebuild_in_background(self):
        """Ask the scheduler to rebuild every channel summary (the menu entry
        for managers): on a large ledger the rebuild outlasts a web request."""
        self._check_rebuild_right()
        # Managers may not write system parameters: the request is only a
        # date, read and cleared by the scheduled rebuild.
        self.env["ir.config_parameter"].sudo().set_param(
            REBUILD_REQUESTED, fields.Datetime.to_string(fields.Datetime.now())
        )
        self.env.ref("channel_analytics.channel_flow_rebuild_cron").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "The channel summaries are being rebuilt in the background; "
                    "the reports show the new figures once it is done."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_rebuild_requested(self):
        """Rebuild the summaries if a manager asked for it since the last time."""
        parameters = self.env["ir.config_parameter"].sudo()
        requested = parameters.get_param(REBUILD_REQUESTED)
        if not requested:
            return
        started = time.monotonic()
        self.action_rebuild_all()
        parameters.set_param(REBUILD_REQUESTED, False)
        _logger.info(
            "Channel summaries rebuilt as asked on %s, in %.1fs",
            requested,
            time.monotonic() - started,
        )

    def action_rebuild_all(self):
        """Rebuild every channel summary, now (at install, from a shell or by
        the scheduler); the records it is called on do not matter."""
        self._check_rebuild_right()
        for name in self._flow_models():
            # Managers may not write summaries (nobody may, but posting): the
            # rebuild does, from the whole ledger, once their right is checked.
            self.env[name].sudo()._rebuild()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The channel summaries were rebuilt."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _check_rebuild_right(self):
        if not self.env.is_superuser() and not self.env.user.has_group(
            "dealer_portal.group_channel_manager"
        ):
            raise AccessError(_("Only channel managers rebuild the summaries."))

    @api.model
    def _flow_models(self):
        """The summaries, the finest first (see ``_add_moves``)."""
        return ["channel.flow.daily", "channel.flow.monthly", "channel.flow.category"]
