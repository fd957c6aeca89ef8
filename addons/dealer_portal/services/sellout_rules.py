"""Check: the rules every reported sell-out line goes through.

Each rule looks at a whole set of lines at once — one SQL query, never one
per line — and reports the lines that break it, with a message for the dealer
and evidence a reviewer can act on. Rules are registered in ``RULES``; none
knows about another.

A rule's ``find(env, scope)`` gets ``scope``, an SQL condition on the lines
(table alias ``l``), and yields ``Finding``s: the line, the message the dealer
reads, the evidence and, when it names other dealers, deliveries or prices, a
fuller message that only channel staff read.
"""

from typing import NamedTuple

from odoo import fields
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from .sellout_normaliser import money


def amount(number):
    """A quantity as people write it: 40, not 40.0; 2.5 stays 2.5."""
    return format(round(number, 4), "g")


_lt = LazyTranslate(__name__)

BLOCKING, WARNING = "blocking", "warning"


class Finding(NamedTuple):
    line_id: int
    message: object
    evidence: dict
    staff_message: object = None


def _lines(scope, *columns):
    return SQL(
        "SELECT l.id, %s FROM dealer_sellout_line l WHERE %s",
        SQL(", ").join(SQL(column) for column in columns),
        scope,
    )


class Rule:
    code = ""
    label = ""
    default_severity = BLOCKING
    help = ""
    advice = ""

    def find(self, env, scope):
        raise NotImplementedError


class UnknownProduct(Rule):
    code = "unknown_product"
    label = _lt("Unknown product")
    help = _lt("The product code is not a code, barcode or mapped code of ours.")
    advice = _lt(
        "Correct the product code, or map your own code to our product under My "
        "Product Codes."
    )

    def find(self, env, scope):
        query = SQL(
            "%s AND l.product_id IS NULL AND l.product_code <> ''",
            _lines(scope, "l.product_code"),
        )
        for line_id, code in env.execute_query(query):
            message = _lt(
                "%(code)s is not one of our product codes: correct it, or map your "
                "own code to our product under My product codes.",
                code=code,
            )
            yield Finding(line_id, message, {"product_code": code})


class UnauthorizedProduct(Rule):
    code = "unauthorized_product"
    label = _lt("Product not authorised")
    help = _lt("The product is outside the categories the dealer may sell.")
    advice = _lt(
        "Drop the line if it is a mistake; otherwise our channel staff decide on it."
    )

    def find(self, env, scope):
        query = SQL(
            """
            WITH pairs AS (
                SELECT DISTINCT l.dealer_id, l.product_id
                  FROM dealer_sellout_line l
                 WHERE %(scope)s AND l.product_id IS NOT NULL
            ), refused AS MATERIALIZED (
                -- the few pairs refused first: when there are none, no line
                -- is read again
                SELECT pairs.dealer_id, pairs.product_id, product.default_code,
                       category.complete_name
                  FROM pairs
                  JOIN product_product product ON product.id = pairs.product_id
                  JOIN product_template template
                       ON template.id = product.product_tmpl_id
                  JOIN product_category category ON category.id = template.categ_id
                 WHERE NOT EXISTS (
                        SELECT 1
                          FROM dealer_product_category_rel rel
                          JOIN product_category allowed
                               ON allowed.id = rel.category_id
                         WHERE rel.partner_id = pairs.dealer_id
                           AND starts_with(category.parent_path, allowed.parent_path)
                       )
            )
            SELECT l.id, refused.default_code, refused.complete_name
              FROM dealer_sellout_line l
              JOIN refused ON refused.dealer_id = l.dealer_id
                          AND refused.product_id = l.product_id
             WHERE %(scope)s
            """,
            scope=scope,
        )
        for line_id, code, category in env.execute_query(query):
            message = _lt(
                "%(code)s (%(category)s) is not among the products you are "
                "authorised to sell.",
                code=code,
                category=category,
            )
            yield Finding(
                line_id, message, {"product_code": code, "category": category}
            )


class Territory(Rule):
    code = "territory"
    label = _lt("Outside territory (串货)")
    help = _lt(
        "The customer lies outside the dealer's authorised territories: the goods "
        "may have been diverted."
    )
    advice = _lt(
        "Check the customer's province and city. A sale outside your territories "
        "goes to our channel staff, who may accept it."
    )

    def find(self, env, scope):
        query = SQL(
            """
            WITH pairs AS (
                SELECT DISTINCT l.dealer_id, l.territory_id
                  FROM dealer_sellout_line l
                 WHERE %(scope)s AND l.territory_id IS NOT NULL
            ), outside AS MATERIALIZED (
                -- as for products: the few places outside first
                SELECT pairs.dealer_id, pairs.territory_id, place.complete_name,
                       ARRAY(SELECT area.complete_name
                               FROM dealer_territory_partner_rel rel
                               JOIN dealer_territory area ON area.id = rel.territory_id
                              WHERE rel.partner_id = pairs.dealer_id
                              ORDER BY area.complete_name) AS areas
                  FROM pairs
                  JOIN dealer_territory place ON place.id = pairs.territory_id
                 WHERE NOT EXISTS (
                        SELECT 1
                          FROM dealer_territory_partner_rel rel
                          JOIN dealer_territory area ON area.id = rel.territory_id
                         WHERE rel.partner_id = pairs.dealer_id
                           AND starts_with(place.parent_path, area.parent_path)
                       )
            )
            SELECT l.id, outside.complete_name, l.province, l.city, outside.areas
              FROM dealer_sellout_line l
              JOIN outside ON outside.dealer_id = l.dealer_id
                          AND outside.territory_id = l.territory_id
             WHERE %(scope)s
            """,
            scope=scope,
        )
        for line_id, place, province, city, areas in env.execute_query(query):
            message = _lt(
                "The customer is in %(place)s, outside your territories (%(areas)s).",
                place=place,
                areas="、".join(areas) or "—",
            )
            evidence = {
                "customer_place": place,
                "province": province,
                "city": city,
                "dealer_territories": areas,
            }
            yield Finding(line_id, message, evidence)


class Oversell(Rule):
    """Outbound beyond stock, and customer returns beyond what was sold.

    Stock is the dealer's posted ledger up to each date plus the lines being
    checked, in date and row order; a line is flagged when the running stock
    of its product — or of its lot, for a lot the dealer holds — falls below
    zero with it. A return is flagged when a customer would have returned
    more of a product than it was ever sold.

    Only the products (or lots) whose stock could fall below zero are
    followed line by line: those whose stock before the first line, less
    everything going out from there on, stays at zero or above cannot. Most
    batches have none, and then no line is sorted.
    """

    code = "oversell"
    label = _lt("Sold beyond stock")
    help = _lt("More goes out than the dealer had in stock at that date.")
    advice = _lt(
        "Check the quantity and date, or the deliveries you have not confirmed "
        "yet; a line sold beyond stock waits for review."
    )

    def find(self, env, scope):
        yield from self._beyond_stock(env, scope, by_lot=False)
        yield from self._beyond_stock(env, scope, by_lot=True)
        yield from self._returns_beyond_sales(env, scope)

    def _beyond_stock(self, env, scope, by_lot):
        lot = SQL("l.lot_id") if by_lot else SQL("0")
        daily_lot = SQL("d.lot_id") if by_lot else SQL("0")
        # Lot by lot, only the lots the dealer holds: a lot it never received
        # is the lot rule's business.
        held = (
            SQL(
                """AND l.lot_id IS NOT NULL AND EXISTS (
                     SELECT 1 FROM dealer_stock_daily h
                      WHERE h.dealer_id = l.dealer_id AND h.product_id = l.product_id
                        AND h.lot_id = l.lot_id AND h.quantity > 0)"""
            )
            if by_lot
            else SQL("")
        )
        query = SQL(
            """
            WITH checked AS (
                SELECT l.id, l.dealer_id, l.product_id, %(lot)s AS lot, l.date,
                       l.row_number, -l.quantity AS delta
                  FROM dealer_sellout_line l
                 WHERE %(scope)s AND l.product_id IS NOT NULL AND l.date IS NOT NULL
                       AND l.quantity IS NOT NULL %(held)s
            ), keys AS (
                SELECT dealer_id, product_id, lot, MIN(date) AS since,
                       SUM(LEAST(delta, 0)) AS going_out
                  FROM checked
                 GROUP BY dealer_id, product_id, lot
            ), at_risk AS (
                -- the stock before the first line, less all that goes out from
                -- there on (ledger and lines), below zero
                SELECT k.dealer_id, k.product_id, k.lot, k.since,
                       COALESCE(SUM(d.quantity) FILTER (WHERE d.date < k.since), 0)
                           AS opening
                  FROM keys k
                  LEFT JOIN dealer_stock_daily d
                       ON d.dealer_id = k.dealer_id AND d.product_id = k.product_id
                      AND %(daily_lot)s = k.lot
                 GROUP BY k.dealer_id, k.product_id, k.lot, k.since, k.going_out
                HAVING COALESCE(SUM(d.quantity) FILTER (WHERE d.date < k.since), 0)
                     + COALESCE(SUM(LEAST(d.quantity, 0))
                                FILTER (WHERE d.date >= k.since), 0)
                     + k.going_out < -0.000001
            ), events AS (
                -- the stock before the first line checked, as one opening event
                SELECT NULL::int AS id, k.since - 1 AS date, 0 AS phase,
                       0 AS row_number, k.opening AS delta, k.dealer_id,
                       k.product_id, k.lot
                  FROM at_risk k
                 UNION ALL
                -- then each day's movements from there on
                SELECT NULL::int, d.date, 0, 0, d.quantity, d.dealer_id,
                       d.product_id, %(daily_lot)s
                  FROM dealer_stock_daily d
                  JOIN at_risk k ON k.dealer_id = d.dealer_id
                                AND k.product_id = d.product_id
                                AND k.lot = %(daily_lot)s
                                AND d.date >= k.since
                 UNION ALL
                SELECT c.id, c.date, 1, c.row_number, c.delta, c.dealer_id,
                       c.product_id, c.lot
                  FROM checked c
                  JOIN at_risk k ON k.dealer_id = c.dealer_id
                                AND k.product_id = c.product_id AND k.lot = c.lot
            ), running AS (
                SELECT id, delta,
                       SUM(delta) OVER (
                           PARTITION BY dealer_id, product_id, lot
                           ORDER BY date, phase, row_number, id
                           ROWS UNBOUNDED PRECEDING) AS stock_after
                  FROM events
            )
            SELECT r.id, r.stock_after - r.delta, -r.delta, r.stock_after,
                   lot.name, product.default_code
              FROM running r
              JOIN dealer_sellout_line l ON l.id = r.id
              JOIN product_product product ON product.id = l.product_id
              LEFT JOIN stock_lot lot ON lot.id = l.lot_id
             WHERE r.id IS NOT NULL AND r.delta < 0 AND r.stock_after < -0.000001
            """,
            lot=lot,
            daily_lot=daily_lot,
            scope=scope,
            held=held,
        )
        for line_id, before, sold, after, lot_name, code in env.execute_query(query):
            values = {"stock": amount(before), "sold": amount(sold), "product": code}
            if by_lot:
                message = _lt(
                    "You had %(stock)s of lot %(lot)s at that date and sell %(sold)s.",
                    lot=lot_name,
                    **values,
                )
            else:
                message = _lt(
                    "You had %(stock)s of %(product)s at that date and sell %(sold)s.",
                    **values,
                )
            evidence = {
                "stock": round(before, 2),
                "sold": round(sold, 2),
                "stock_after": round(after, 2),
                "product": code,
                "lot": lot_name,
            }
            yield Finding(line_id, message, evidence)

    def _returns_beyond_sales(self, env, scope):
        query = SQL(
            """
            WITH checked AS (
                SELECT l.id, l.dealer_id, l.product_id, l.customer_id, l.quantity,
                       COALESCE(l.customer_id::text, l.customer_name, '') AS customer
                  FROM dealer_sellout_line l
                 WHERE %s AND l.product_id IS NOT NULL AND l.quantity IS NOT NULL
            ), returned AS (
                -- what the lines net out to, for the products customers return
                SELECT c.dealer_id, c.product_id, c.customer,
                       SUM(c.quantity) AS net_in_lines
                  FROM checked c
                 WHERE (c.dealer_id, c.product_id, c.customer) IN (
                        SELECT dealer_id, product_id, customer FROM checked
                         WHERE quantity < 0)
                 GROUP BY c.dealer_id, c.product_id, c.customer
            ), returns AS (
                SELECT c.id, c.dealer_id, c.product_id, c.customer_id,
                       returned.net_in_lines
                  FROM checked c
                  JOIN returned ON returned.dealer_id = c.dealer_id
                               AND returned.product_id = c.product_id
                               AND returned.customer = c.customer
                 WHERE c.quantity < 0
            ), sold AS (
                SELECT keys.dealer_id, keys.customer_id, keys.product_id,
                       SUM(-m.quantity) AS sold
                  FROM (SELECT DISTINCT dealer_id, customer_id, product_id
                          FROM returns WHERE customer_id IS NOT NULL) keys
                  JOIN dealer_stock_move m ON m.customer_id = keys.customer_id
                                          AND m.product_id = keys.product_id
                                          AND m.dealer_id = keys.dealer_id
                 GROUP BY 1, 2, 3
            )
            SELECT r.id, r.net_in_lines + COALESCE(sold.sold, 0)
              FROM returns r
              LEFT JOIN sold ON sold.dealer_id = r.dealer_id
                            AND sold.customer_id = r.customer_id
                            AND sold.product_id = r.product_id
             WHERE r.net_in_lines + COALESCE(sold.sold, 0) < -0.000001
            """,
            scope,
        )
        for line_id, net in env.execute_query(query):
            message = _lt(
                "This return is more than this customer was ever sold of the product "
                "(%(missing)s too many).",
                missing=amount(-net),
            )
            yield Finding(line_id, message, {"returned_beyond_sold": round(-net, 2)})


class PriceFloor(Rule):
    code = "price_floor"
    label = _lt("Below floor price (乱价)")
    default_severity = WARNING
    help = _lt("The unit price is below the product's channel floor price.")
    advice = _lt(
        "Check the unit price; the line is posted, and the price is reported to "
        "our channel staff."
    )

    def find(self, env, scope):
        query = SQL(
            """
            SELECT l.id, l.unit_price, template.channel_floor_price,
                   product.default_code
              FROM dealer_sellout_line l
              JOIN product_product product ON product.id = l.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE %s AND l.quantity > 0 AND template.channel_floor_price > 0
               AND l.unit_price < template.channel_floor_price - 0.000001
            """,
            scope,
        )
        for line_id, price, floor, code in env.execute_query(query):
            message = _lt(
                "Sold at %(price)s, below the floor price %(floor)s of %(product)s.",
                price=money(price),
                floor=money(floor),
                product=code,
            )
            yield Finding(line_id, message, {"unit_price": price, "floor_price": floor})


class Duplicate(Rule):
    code = "duplicate"
    label = _lt("Duplicate")
    help = _lt("The same line was already reported, in this batch or an earlier one.")
    advice = _lt("Drop the line if you reported it already.")

    def find(self, env, scope):
        query = SQL(
            """
            WITH checked AS (
                SELECT l.id, l.dealer_id, l.date, l.fingerprint, l.batch_id,
                       l.row_number
                  FROM dealer_sellout_line l
                 WHERE %s AND l.fingerprint IS NOT NULL
            ), repeated AS (
                -- Only the lines whose fingerprint may be seen twice are put in
                -- order. They are found by a hash of it: grouping a million
                -- integers takes a fraction of the time of a million texts.
                SELECT c.id, FIRST_VALUE(c.row_number) OVER same AS first_row,
                       ROW_NUMBER() OVER same AS occurrence
                  FROM checked c
                 WHERE (c.batch_id, hashtext(c.fingerprint)) IN (
                        SELECT batch_id, hashtext(fingerprint) FROM checked
                         GROUP BY 1, 2 HAVING COUNT(*) > 1)
                WINDOW same AS (PARTITION BY c.batch_id, c.fingerprint
                                ORDER BY c.row_number, c.id)
            ), earlier AS (
                -- the first report of each line in another batch; the date
                -- is part of the fingerprint, and leads its index
                SELECT DISTINCT ON (c.id) c.id, batch.name, o.row_number
                  FROM checked c
                  JOIN dealer_sellout_line o ON o.dealer_id = c.dealer_id
                                            AND o.date = c.date
                                            AND o.fingerprint = c.fingerprint
                  JOIN dealer_sellout_batch batch ON batch.id = o.batch_id
                 WHERE o.state IN ('posted', 'review')
                   AND o.batch_id NOT IN (SELECT batch_id FROM checked)
                 ORDER BY c.id, o.id
            )
            SELECT id, NULL::int, name, row_number FROM earlier
             UNION ALL
            SELECT r.id, r.first_row, NULL, NULL
              FROM repeated r
             WHERE r.occurrence > 1 AND r.id NOT IN (SELECT id FROM earlier)
            """,
            scope,
        )
        for line_id, first_row, batch, row in env.execute_query(query):
            if batch:
                message = _lt(
                    "Already reported in %(batch)s, row %(row)s.", batch=batch, row=row
                )
                evidence = {"batch": batch, "row": row}
            else:
                message = _lt("The same as row %(row)s of this batch.", row=first_row)
                evidence = {"row": first_row}
            yield Finding(line_id, message, evidence)


class DateRule(Rule):
    code = "date"
    label = _lt("Date out of range")
    help = _lt("The date is in the future, or in a reporting period already closed.")
    advice = _lt(
        "Correct the date; sales of a closed period need our channel staff's approval."
    )

    def find(self, env, scope):
        today = fields.Date.context_today(env["dealer.sellout.line"])
        query = SQL(
            """
            SELECT l.id, l.date, company.dealer_sellout_lock_date
              FROM dealer_sellout_line l
              JOIN res_company company ON company.id = l.company_id
             WHERE %s AND (l.date > %s OR l.date <= company.dealer_sellout_lock_date)
            """,
            scope,
            today,
        )
        for line_id, line_date, lock_date in env.execute_query(query):
            if line_date > today:
                message = _lt("%(date)s is in the future.", date=line_date.isoformat())
            else:
                message = _lt(
                    "%(date)s lies in a closed reporting period (closed up to "
                    "%(lock)s).",
                    date=line_date.isoformat(),
                    lock=lock_date.isoformat(),
                )
            yield Finding(line_id, message, {"date": line_date.isoformat()})


class LotTrace(Rule):
    """A lot the manufacturer shipped to someone else.

    A lot travels down the dealer tree: a dealer may sell the lots shipped to
    it or to any of its upstream dealers, and those its ledger received
    (opening stock, transfers).
    """

    code = "lot_trace"
    label = _lt("Lot shipped elsewhere")
    help = _lt("The lot was shipped by the manufacturer to another dealer.")
    advice = _lt(
        "Check the lot number on the goods; a lot that reached you another way "
        "goes to our channel staff."
    )

    def find(self, env, scope):
        query = SQL(
            """
            WITH RECURSIVE checked AS (
                SELECT l.id, l.dealer_id, l.lot_id, l.lot_name
                  FROM dealer_sellout_line l
                 WHERE %s AND l.lot_name <> '' AND l.product_id IS NOT NULL
            ), upstream(dealer_id, ancestor_id) AS (
                SELECT DISTINCT dealer_id, dealer_id FROM checked
                 UNION
                SELECT upstream.dealer_id, partner.dealer_parent_id
                  FROM upstream
                  JOIN res_partner partner ON partner.id = upstream.ancestor_id
                 WHERE partner.dealer_parent_id IS NOT NULL
            ), wanted AS (
                SELECT DISTINCT dealer_id, lot_id FROM checked
            ), shipped AS (
                SELECT ml.lot_id, partner.commercial_partner_id AS dealer_id,
                       picking.name AS delivery, picking.date_done
                  FROM stock_move_line ml
                  JOIN stock_picking picking ON picking.id = ml.picking_id
                  JOIN stock_picking_type ptype ON ptype.id = picking.picking_type_id
                  JOIN res_partner partner ON partner.id = picking.partner_id
                 WHERE ml.state = 'done' AND ptype.code = 'outgoing'
                   AND ml.lot_id IN (SELECT lot_id FROM wanted)
            ), refused AS MATERIALIZED (
                -- once: not again for each line, when too few lines are
                -- counted to plan the join with them well. Lots we do not
                -- know (lot 0 here) are never received.
                SELECT wanted.dealer_id, COALESCE(wanted.lot_id, 0) AS lot_id
                  FROM wanted
                 WHERE NOT EXISTS (
                        SELECT 1 FROM upstream
                         WHERE upstream.dealer_id = wanted.dealer_id
                           AND (EXISTS (SELECT 1 FROM shipped
                                         WHERE shipped.lot_id = wanted.lot_id
                                           AND shipped.dealer_id = upstream.ancestor_id)
                                OR EXISTS (SELECT 1 FROM dealer_stock_move move
                                            WHERE move.lot_id = wanted.lot_id
                                              AND move.dealer_id = upstream.ancestor_id
                                              AND move.quantity > 0)))
            )
            SELECT c.id, c.lot_name, c.lot_id IS NULL,
                   ARRAY(SELECT ARRAY[dealer.name, shipped.delivery,
                                      to_char(shipped.date_done, 'YYYY-MM-DD')]
                           FROM shipped
                           JOIN res_partner dealer ON dealer.id = shipped.dealer_id
                          WHERE shipped.lot_id = c.lot_id
                          ORDER BY shipped.date_done LIMIT 3)
              FROM checked c
              JOIN refused ON refused.dealer_id = c.dealer_id
                          AND refused.lot_id = COALESCE(c.lot_id, 0)
            """,
            scope,
        )
        for line_id, lot, unknown, shipments in env.execute_query(query):
            staff_message = None
            if unknown:
                message = _lt("Lot %(lot)s was never shipped by us.", lot=lot)
            elif shipments:
                message = _lt(
                    "Lot %(lot)s was shipped to another dealer, not to you.", lot=lot
                )
                staff_message = _lt(
                    "Lot %(lot)s was shipped to %(dealer)s (%(delivery)s, %(date)s).",
                    lot=lot,
                    dealer=shipments[0][0],
                    delivery=shipments[0][1],
                    date=shipments[0][2],
                )
            else:
                message = _lt("Lot %(lot)s was never shipped to you.", lot=lot)
            evidence = {
                "lot": lot,
                "shipped_to": [
                    {"dealer": dealer, "delivery": delivery, "date": day}
                    for dealer, delivery, day in shipments
                ],
            }
            yield Finding(line_id, message, evidence, staff_message)


class Anomaly(Rule):
    """A quantity far above the dealer's own history for the product: its
    sales over the year before the first line checked. An older history says
    little about today's, and reading it all would grow with the ledger."""

    code = "anomaly"
    label = _lt("Unusual quantity")
    default_severity = WARNING
    help = _lt("The quantity is far outside the dealer's history for the product.")
    advice = _lt("Check the quantity; the line is posted if it is right.")
    min_history = 8
    spread = 4
    history_months = 12

    def find(self, env, scope):
        query = SQL(
            """
            WITH checked AS (
                SELECT l.id, l.dealer_id, l.product_id, l.quantity, l.date
                  FROM dealer_sellout_line l
                 WHERE %(scope)s AND l.quantity > 0 AND l.product_id IS NOT NULL
                       AND l.date IS NOT NULL
            ), pairs AS (
                SELECT dealer_id, product_id,
                       (MIN(date) - %(months)s * INTERVAL '1 month')::date AS since
                  FROM checked
                 GROUP BY dealer_id, product_id
            ), history AS MATERIALIZED (
                -- once: planned for a few lines, it was joined to each of them
                SELECT m.dealer_id, m.product_id, COUNT(*) AS lines,
                       AVG(-m.quantity) AS mean, STDDEV_POP(-m.quantity) AS deviation,
                       MAX(-m.quantity) AS largest
                  FROM pairs
                  JOIN dealer_stock_move m ON m.dealer_id = pairs.dealer_id
                                          AND m.product_id = pairs.product_id
                                          AND m.date >= pairs.since
                 WHERE m.kind IN ('sellout', 'transfer_out')
                 GROUP BY m.dealer_id, m.product_id
            )
            SELECT c.id, c.quantity, h.mean, h.deviation, h.largest, h.lines
              FROM checked c
              JOIN history h ON h.dealer_id = c.dealer_id
                            AND h.product_id = c.product_id
             WHERE h.lines >= %(min_history)s
               AND c.quantity > h.mean + %(spread)s * h.deviation
               AND c.quantity > 2 * h.largest
            """,
            scope=scope,
            min_history=self.min_history,
            spread=self.spread,
            months=self.history_months,
        )
        for line_id, quantity, mean, deviation, largest, lines in env.execute_query(
            query
        ):
            message = _lt(
                "%(quantity)s is far above your usual quantity for this product "
                "(average %(mean)s, at most %(largest)s over %(lines)s lines); lines "
                "above the average plus %(spread)s standard deviations and twice the "
                "largest are flagged.",
                quantity=amount(quantity),
                mean=amount(round(mean, 1)),
                largest=amount(largest),
                lines=lines,
                spread=self.spread,
            )
            evidence = {
                "quantity": quantity,
                "mean": round(mean, 2),
                "deviation": round(deviation, 2),
                "largest": largest,
                "history_lines": lines,
            }
            yield Finding(line_id, message, evidence)


class UnknownCustomer(Rule):
    code = "unknown_customer"
    label = _lt("New customer")
    default_severity = WARNING
    help = _lt("The customer is not yet in the dealer's registry.")
    advice = _lt(
        "Nothing to do if the customer is right: it joins your registry when you "
        "submit."
    )

    def find(self, env, scope):
        query = SQL(
            "%s AND l.customer_id IS NULL",
            _lines(scope, "l.customer_code", "l.customer_name", "l.province", "l.city"),
        )
        for line_id, code, name, province, city in env.execute_query(query):
            place = " ".join(part for part in (province, city) if part) or "—"
            customer = " ".join(part for part in (code, name) if part)
            message = _lt(
                "%(customer)s (%(place)s) is not in your customer registry yet; it is "
                "added when you submit.",
                customer=customer,
                place=place,
            )
            evidence = {"customer_code": code, "customer_name": name, "place": place}
            yield Finding(line_id, message, evidence)


RULES = {
    rule.code: rule
    for rule in (
        UnknownProduct(),
        UnauthorizedProduct(),
        Territory(),
        Oversell(),
        PriceFloor(),
        Duplicate(),
        DateRule(),
        LotTrace(),
        Anomaly(),
        UnknownCustomer(),
    )
}
