import base64
import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user

from odoo.addons.dealer_portal.tests.common import DealerCommon

# Dealer A's sales of tea at 40, (date, quantity) per customer code.
SALES_A = {
    # 10 a month from December to October: 4,400
    "C-A-001": [
        (f"{year}-{month:02d}-15", 10)
        for year, month in (
            (2025, 12),
            (2026, 1),
            (2026, 2),
            (2026, 3),
            (2026, 4),
            (2026, 5),
            (2026, 6),
            (2026, 7),
            (2026, 8),
            (2026, 9),
            (2026, 10),
        )
    ],  # fmt: skip
    # 3,000 in three months, the last in May
    "K2": [("2026-01-10", 25), ("2026-03-10", 25), ("2026-05-10", 25)],
    # 1,600, growing
    "K3": [
        ("2026-06-20", 5),
        ("2026-07-20", 5),
        ("2026-08-20", 15),
        ("2026-09-20", 15),
    ],
    # 600, since September
    "K4": [("2026-09-01", 5), ("2026-10-01", 10)],
    # 400, a year ago
    "K5": [("2025-11-20", 10)],
}


@freeze_time("2026-11-27")
class TestKeyCustomer(DealerCommon):
    """ABC classes, RFM segments and trends of downstream customers, by hand.

    Dealer A's five customers buy 10,000 over the 12 months to October 2026
    (``SALES_A``); dealer B's one customer 10,000 on 2026-10-05.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the demo's rankings are not this channel's
        env["dealer.key.customer"].search([]).unlink()
        cls.customers = {"C-A-001": cls.customer_a}
        for code in ("K2", "K3", "K4", "K5"):
            cls.customers[code] = env["dealer.customer"].create(
                {
                    "dealer_id": cls.dealer_a.id,
                    "code": code,
                    "name": f"测试客户 {code}",
                    "state_id": cls.state_zhejiang.id,
                    "city": "嘉兴市",
                }
            )
        cls._deliver(cls.dealer_a, cls.product_tea, 1000, "LOT-K", date="2025-11-01")
        cls._deliver(cls.dealer_b, cls.product_tea, 300, "LOT-KB", date="2025-11-01")
        rows = [
            {
                "date": date,
                "product_code": "T-TEA",
                "quantity": str(quantity),
                "unit_price": "40",
                "customer_code": code,
            }
            for code, sales in SALES_A.items()
            for date, quantity in sales
        ]
        Batch = env["dealer.sellout.batch"]
        with freeze_time("2026-11-27"):
            Batch._from_rows(cls.dealer_a, "backend", rows).action_submit()
            Batch._from_rows(
                cls.dealer_b,
                "backend",
                [
                    {
                        "date": "2026-10-05",
                        "product_code": "T-TEA",
                        "quantity": "250",
                        "unit_price": "40",
                        "customer_code": "C-B-001",
                    }
                ],
            ).action_submit()
            env["dealer.key.customer"]._recompute_key_customers(
                dealers=cls.dealer_a | cls.dealer_b
            )
        cls.zhejiang_manager = new_test_user(
            env,
            login="zj_grade_manager",
            groups="dealer_portal.group_channel_manager",
            dealer_territory_ids=[Command.set(cls.zhejiang.ids)],
        )

    def _key(self, code):
        return self.env["dealer.key.customer"].search(
            [("customer_id", "=", self.customers[code].id)]
        )

    def test_lines_posted(self):
        lines = self.env["dealer.sellout.line"].search(
            [("dealer_id", "=", self.dealer_a.id)]
        )
        self.assertEqual(set(lines.mapped("state")), {"posted"})

    def test_abc_per_dealer(self):
        expected = {
            # code: rank, amount, share, cumulative share, class
            "C-A-001": (1, 4400, 44, 44, "A"),
            "K2": (2, 3000, 30, 74, "A"),
            # 74 % before it, under 80 %: it completes class A
            "K3": (3, 1600, 16, 90, "A"),
            "K4": (4, 600, 6, 96, "B"),  # 90 % before it: the next 15 %
            "K5": (5, 400, 4, 100, "C"),
        }
        for code, values in expected.items():
            key = self._key(code)
            self.assertEqual(
                (
                    key.rank,
                    key.amount,
                    round(key.share),
                    round(key.cumulative_share),
                    key.abc_class,
                ),
                values,
                code,
            )

    def test_abc_overall(self):
        customer_b = self.env["dealer.key.customer"].search(
            [("customer_id", "=", self.customer_b.id)]
        )
        self.assertEqual(
            (customer_b.rank_overall, customer_b.abc_class_overall), (1, "A")
        )
        # 20,000 in all: B's customer 50 %, then 22 %, 15 %, 8 %, 3 %, 2 %
        self.assertEqual(
            {code: self._key(code).abc_class_overall for code in SALES_A},
            {"C-A-001": "A", "K2": "A", "K3": "B", "K4": "C", "K5": "C"},
        )
        self.assertEqual(self._key("K2").rank_overall, 3)

    def test_rfm_segments(self):
        expected = {
            # code: days since last, months bought, R, F, M, segment
            "C-A-001": (16, 11, 5, 5, 5, "champion"),
            "K2": (174, 3, 2, 2, 4, "at_risk"),
            "K3": (41, 4, 4, 3, 3, "loyal"),
            "K4": (30, 2, 5, 2, 2, "new"),
            "K5": (345, 1, 1, 1, 1, "lost"),
        }
        for code, values in expected.items():
            key = self._key(code)
            self.assertEqual(
                (
                    key.recency_days,
                    key.active_months,
                    key.r_score,
                    key.f_score,
                    key.m_score,
                    key.rfm_segment,
                ),
                values,
                code,
            )

    def test_trends(self):
        # August to October against May to July
        expected = {
            "C-A-001": (1200, 1200, 0.0, "flat"),
            "K2": (0, 1000, -100.0, "gone"),
            "K3": (1200, 400, 200.0, "up"),
            "K4": (600, 0, 0.0, "new"),
            "K5": (0, 0, 0.0, False),
        }
        for code, values in expected.items():
            key = self._key(code)
            self.assertEqual(
                (
                    key.amount_recent,
                    key.amount_previous,
                    key.trend,
                    key.trend_direction,
                ),
                values,
                code,
            )

    def test_abc_shares_from_settings(self):
        self.env.company.write({"dealer_abc_a_share": 50, "dealer_abc_b_share": 30})
        self.env["dealer.key.customer"]._recompute_key_customers(dealers=self.dealer_a)
        self.assertEqual(
            {code: self._key(code).abc_class for code in SALES_A},
            # 0 and 44 % before: A; 74 % before: B; 90 and 96 %: C
            {"C-A-001": "A", "K2": "A", "K3": "B", "K4": "C", "K5": "C"},
        )

    def test_provincial_manager_sees_its_province_only(self):
        Key = self.env["dealer.key.customer"].with_user(self.zhejiang_manager)
        seen = Key.search([])
        self.assertEqual(seen.dealer_id, self.dealer_a)
        theirs = self.env["dealer.key.customer"].search(
            [("dealer_id", "=", self.dealer_b.id)]
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.zhejiang_manager).read(["amount"])

    def test_dealer_reads_its_own_customers_only(self):
        Key = self.env["dealer.key.customer"].with_user(self.user_a)
        self.assertEqual(Key.search([]).dealer_id, self.dealer_a)
        theirs = self.env["dealer.key.customer"].search(
            [("dealer_id", "=", self.dealer_b.id)]
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_a).read(["amount"])
        with self.assertRaises(AccessError):
            Key.action_recompute()

    def test_xlsx_export(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        wizard = (
            self.env["dealer.key.customer.export"]
            .with_user(self.zhejiang_manager)
            .create({})
        )
        action = wizard.action_export()
        self.assertIn("download=true", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        sheet = book.active
        self.assertEqual(sheet.freeze_panes, "C5")
        headers = [cell.value for cell in sheet[4]]
        self.assertEqual(headers[:3], ["Dealer Code", "Dealer", "Rank"])
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        # the manager of 浙江 exports dealer A's customers only
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0][4], self.customer_a.name)
        self.assertEqual(rows[0][7], 4400)
        self.assertEqual(sheet.cell(5, 8).number_format, "#,##0.00")
        chinese = (
            self.env["dealer.key.customer.export"]
            .with_context(lang="zh_CN")
            .create({"abc_classes": "A"})
        )
        chinese.action_export()
        sheet = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(chinese.file))
        ).active
        self.assertEqual(sheet.cell(4, 3).value, "排名")
        self.assertEqual(
            {row[10] for row in sheet.iter_rows(min_row=5, values_only=True)}, {"A"}
        )

    def test_xlsx_never_writes_a_formula(self):
        self.customers["K5"].name = '=HYPERLINK("http://evil")'
        wizard = self.env["dealer.key.customer.export"].create(
            {"dealer_id": self.dealer_a.id}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        cell = book.active.cell(9, 5)
        self.assertEqual(cell.value, '=HYPERLINK("http://evil")')
        self.assertEqual(cell.data_type, "s")
