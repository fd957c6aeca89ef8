"""Range partitions of the big sell-out tables, one a month.

Past about a hundred million lines, the sell-out lines, their issues and the
dealer ledger are easier to look after as one partition a month: each month
is vacuumed, reindexed, moved to cheaper storage or archived on its own, and
the planner reads only the months a query asks for. See docs/scale-out.md.

The partition key is ``id``, so the ORM, the primary key and the foreign keys
into these tables stay as Odoo made them (PostgreSQL requires a partitioned
table's unique keys to contain its partition key). A month's partition holds
a fixed range of ids; at the start of a month the table's id sequence jumps
to the start of the spare partition, which becomes that month's, and a new
spare is made ahead of it. A month busier than planned spills into the spare
instead of failing; the daily roll then names the spilled part after its
month and makes another spare.

Partitions are named ``<table>_history`` (the rows from before partitioning),
``<table>_<yyyymm>`` (a month; ``_<yyyymm>_<n>`` for its spills) and
``<table>_next`` (the spare).
"""

import logging
import re

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BOUNDS = re.compile(r"FOR VALUES FROM \((\S+)\) TO \((\S+)\)")


def is_partitioned(cr, table):
    cr.execute(
        SQL("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", table)
    )
    row = cr.fetchone()
    return bool(row and row[0])


def partitions(cr, table):
    """``{name: (lowest id, id above the highest)}`` of the table's partitions,
    ``None`` standing for an unbounded side."""
    cr.execute(
        SQL(
            """
            SELECT child.relname, pg_get_expr(child.relpartbound, child.oid)
              FROM pg_inherits
              JOIN pg_class child ON child.oid = pg_inherits.inhrelid
             WHERE pg_inherits.inhparent = to_regclass(%s)
            """,
            table,
        )
    )
    found = {}
    for name, bound in cr.fetchall():
        low, high = BOUNDS.search(bound).groups()
        found[name] = tuple(
            None if value in ("MINVALUE", "MAXVALUE") else int(value.strip("'"))
            for value in (low, high)
        )
    return found


def partition(cr, table, capacity, month):
    """Turn ``table`` into a table partitioned by ranges of ``capacity`` ids.

    Its rows stay where they are, as the ``_history`` partition; ``month``
    (``yyyymm``) gets the next ``capacity`` ids and a spare the ones after.
    Run it with the server stopped: the table is locked while its indexes
    and foreign keys are moved, and its rows are read once to attach them.
    """
    if is_partitioned(cr, table):
        return
    history = f"{table}_history"
    cr.execute(SQL("LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", SQL.identifier(table)))
    start = _handed_out(cr, table) + 1
    indexes, outgoing, incoming = _schema_of(cr, table)

    # Foreign keys are dropped and made again on the partitioned table once
    # the history is attached: attaching a table whose foreign key points to
    # a table partitioned in the same transaction fails in PostgreSQL 15
    # ("cache lookup failed for constraint").
    for name, _definition in outgoing:
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s",
                SQL.identifier(table),
                SQL.identifier(name),
            )
        )
    # The old table becomes the history partition; its indexes give their
    # names back to the partitioned table's, which adopt them on attaching.
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME TO %s",
            SQL.identifier(table),
            SQL.identifier(history),
        )
    )
    for name, _definition, _primary in indexes:
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(name),
                SQL.identifier(_suffixed(name, "history")),
            )
        )
    cr.execute(
        SQL(
            """
            CREATE TABLE %(table)s (LIKE %(history)s INCLUDING ALL EXCLUDING INDEXES)
                PARTITION BY RANGE (id)
            """,
            table=SQL.identifier(table),
            history=SQL.identifier(history),
        )
    )
    cr.execute(
        SQL(
            "ALTER SEQUENCE %s OWNED BY %s.id",
            SQL.identifier(_sequence(table)),
            SQL.identifier(table),
        )
    )
    for name, definition, primary in indexes:
        if primary:
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (id)",
                    SQL.identifier(table),
                    SQL.identifier(name),
                )
            )
        else:
            cr.execute(SQL(definition))
    cr.execute(
        SQL(
            "ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (MINVALUE) TO (%s)",
            SQL.identifier(table),
            SQL.identifier(history),
            start,
        )
    )
    for name, definition in outgoing:
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD CONSTRAINT %s %s",
                SQL.identifier(table),
                SQL.identifier(name),
                SQL(definition),
            )
        )
    for referencing, name, definition in incoming:
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s",
                SQL.identifier(referencing),
                SQL.identifier(name),
            )
        )
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD CONSTRAINT %s %s",
                SQL.identifier(referencing),
                SQL.identifier(name),
                SQL(definition),
            )
        )
    _create_partition(cr, table, month, start, start + capacity)
    _create_partition(cr, table, "next", start + capacity, start + 2 * capacity)
    _logger.info(
        "%s partitioned by id: history below %s, %s ids a month", table, start, capacity
    )


def roll(cr, table, month):
    """Start ``month`` (``yyyymm``) on the spare partition and make a new
    spare; name a spill of the running month and replace the spare it used.
    Does nothing for a table that is not partitioned or a month started."""
    if not is_partitioned(cr, table):
        return
    found = partitions(cr, table)
    spare = f"{table}_next"
    low, high = found[spare]
    # No new row while the sequence jumps and the spare is renamed.
    cr.execute(SQL("LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", SQL.identifier(table)))
    handed_out = _handed_out(cr, table)
    if f"{table}_{month}" not in found:
        name = f"{table}_{month}"
        if handed_out < low:
            cr.execute(SQL("SELECT setval(%s, %s, false)", _sequence(table), low))
    elif handed_out >= low:
        count = sum(1 for other in found if other.startswith(f"{table}_{month}_"))
        name = f"{table}_{month}_{count + 2}"
        _logger.warning(
            "%s: this month has used more ids than a partition holds (%s); "
            "raise its capacity",
            table,
            high - low,
        )
    else:
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME TO %s",
            SQL.identifier(spare),
            SQL.identifier(name),
        )
    )
    _create_partition(cr, table, "next", high, high + (high - low))


def _schema_of(cr, table):
    """The table's indexes, its foreign keys, and the foreign keys of other
    tables that point to it: what must move to the partitioned table. (A
    foreign key to a partitioned table has a copy per partition, with a
    parent: only the parent is the foreign key to make again.)"""
    cr.execute(
        SQL(
            """
            SELECT index.relname, pg_get_indexdef(pg_index.indexrelid),
                   pg_index.indisprimary
              FROM pg_index
              JOIN pg_class index ON index.oid = pg_index.indexrelid
             WHERE pg_index.indrelid = to_regclass(%s)
            """,
            table,
        )
    )
    indexes = cr.fetchall()
    for name, definition, primary in indexes:
        if "UNIQUE" in definition and not primary:
            raise ValueError(
                f"{name} is unique without id: a partitioned table cannot keep it"
            )
    cr.execute(
        SQL(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = to_regclass(%s) AND contype = 'f'
               AND conparentid = 0
            """,
            table,
        )
    )
    outgoing = cr.fetchall()
    cr.execute(
        SQL(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
              FROM pg_constraint
             WHERE confrelid = to_regclass(%s) AND contype = 'f'
               AND conrelid <> confrelid AND conparentid = 0
            """,
            table,
        )
    )
    return indexes, outgoing, cr.fetchall()


def _create_partition(cr, table, suffix, low, high):
    """A partition for ids ``low`` to ``high - 1``, with the storage options
    of the history partition (a partitioned table keeps none of its own; the
    sell-out lines' fillfactor is one)."""
    name = f"{table}_{suffix}"
    cr.execute(
        SQL(
            "CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)",
            SQL.identifier(name),
            SQL.identifier(table),
            low,
            high,
        )
    )
    cr.execute(
        SQL(
            "SELECT option_name, option_value FROM pg_options_to_table("
            "(SELECT reloptions FROM pg_class WHERE oid = to_regclass(%s)))",
            f"{table}_history",
        )
    )
    for option, value in cr.fetchall():
        if option == "fillfactor":
            cr.execute(
                SQL(
                    "ALTER TABLE %s SET (fillfactor = %s)",
                    SQL.identifier(name),
                    int(value),
                )
            )


def _handed_out(cr, table):
    """The last id the table's sequence gave, 0 when it gave none."""
    cr.execute(
        SQL(
            "SELECT COALESCE(pg_sequence_last_value(%s::regclass), 0)",
            _sequence(table),
        )
    )
    return cr.fetchone()[0]


def _sequence(table):
    # The name PostgreSQL gives the sequence of Odoo's "id SERIAL" column.
    return f"{table}_id_seq"


def _suffixed(name, suffix):
    # PostgreSQL cuts names at 63 bytes.
    return f"{name[: 62 - len(suffix)]}_{suffix}"


def existing_tables(cr, tablenames):
    """Odoo's ``odoo.tools.sql.existing_tables``, counting partitioned tables.

    Odoo 18 looks for relkinds r, v and m only: a model whose table was
    partitioned would look missing, be "created" again at every update (which
    fails) and logged as tableless at every start.
    """
    cr.execute(
        SQL(
            """
            SELECT c.relname
              FROM pg_class c
              JOIN pg_namespace n ON (n.oid = c.relnamespace)
             WHERE c.relname IN %s
               AND c.relkind IN ('r', 'v', 'm', 'p')
               AND n.nspname = current_schema
            """,
            tuple(tablenames),
        )
    )
    return [row[0] for row in cr.fetchall()]
