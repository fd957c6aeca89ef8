from odoo.tests import freeze_time

from odoo.addons.dealer_expense.tests.common import ExpenseCommon

# The measures every channel summary keeps.
MEASURES = (
    "sellout_qty",
    "sellout_amount",
    "return_qty",
    "return_amount",
    "net_qty",
    "net_amount",
    "sellin_qty",
    "sellin_amount",
    "line_count",
    "stock_qty",
)


class AnalyticsCommon(ExpenseCommon):
    """The channel of dealer_expense's tests, with some trade to analyse.

    Deliveries (sell-in, at list price: no sales order): dealer A 200 tea and
    100 energy drinks on 2026-08-20, dealer B 100 tea on 2026-08-25.
    Sell-out, all posted:

    ========== ====== ======== ===== ======= =========
    date       dealer product  qty   price   amount
    ========== ====== ======== ===== ======= =========
    2026-09-05 A      tea      10    38      380
    2026-09-06 B      tea      8     39      312
    2026-10-11 A      tea      20    40      800
    2026-10-12 A      energy   5     95      475
    2026-10-15 A      tea      -2    40      -80 (return)
    2026-10-20 B      tea      12    39      468
    ========== ====== ======== ===== ======= =========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 200, "LOT-A1", date="2026-08-20")
        cls._deliver(cls.dealer_a, cls.product_energy, 100, date="2026-08-20")
        cls._deliver(cls.dealer_b, cls.product_tea, 100, "LOT-B1", date="2026-08-25")
        with freeze_time("2026-11-27"):
            cls.batch_a = cls._report(
                cls.dealer_a,
                ("2026-09-05", "T-TEA", "10", "38", "C-A-001", "LOT-A1"),
                ("2026-10-11", "T-TEA", "20", "40", "C-A-001", "LOT-A1"),
                ("2026-10-12", "T-EN", "5", "95", "C-A-001", ""),
                ("2026-10-15", "T-TEA", "-2", "40", "C-A-001", "LOT-A1"),
            )
            cls.batch_b = cls._report(
                cls.dealer_b,
                ("2026-09-06", "T-TEA", "8", "39", "C-B-001", "LOT-B1"),
                ("2026-10-20", "T-TEA", "12", "39", "C-B-001", "LOT-B1"),
            )

    @classmethod
    def _report(cls, dealer, *rows, submit=True):
        """A sell-out batch of ``dealer`` from rows (date, product code,
        quantity, unit price, customer code, lot), submitted."""
        headers = ("date", "product_code", "quantity", "unit_price", "customer_code")
        batch = cls.env["dealer.sellout.batch"]._from_rows(
            dealer,
            "backend",
            [
                dict(zip(headers, row[:5], strict=True), lot=row[5] or None)
                for row in rows
            ],
        )
        if submit:
            batch.action_submit()
        return batch

    def _summary(self, model, keys, domain=()):
        """``{key tuple: {measure: value}}`` of a summary, non-zero rows."""
        rows = self.env[model]._read_group(
            list(domain), keys, [f"{name}:sum" for name in MEASURES]
        )
        result = {}
        for row in rows:
            key = tuple(
                value.id if hasattr(value, "id") else value
                for value in row[: len(keys)]
            )
            values = dict(zip(MEASURES, row[len(keys) :], strict=True))
            if any(values.values()):
                result[key] = {name: round(value, 2) for name, value in values.items()}
        return result
