import base64
import io

import openpyxl

from odoo.tests import freeze_time, new_test_user

from .common import AnalyticsCommon


@freeze_time("2026-11-27")
class TestExport(AnalyticsCommon):
    """XLSX exports of the reports: headers, numbers, frozen panes, a chart
    sheet, the user's rules, and no formula from user data."""

    def _export(self, user=None, lang=None, **values):
        Export = self.env["channel.analytics.export"]
        if user:
            Export = Export.with_user(user)
        if lang:
            Export = Export.with_context(lang=lang)
        export = Export.create(
            {"date_from": "2026-01-01", "date_to": "2026-12-31", **values}
        )
        export.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        return export, book

    def _table(self, sheet):
        """Rows under the header row (row 4), as tuples of values."""
        return [
            row
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0] is not None
        ]

    def test_sellout_by_province_and_month(self):
        # A dealer's name is user data: "=…" must stay text.
        self.dealer_a.name = '=HYPERLINK("http://evil","x")'
        _export, book = self._export(groupby="dealer_id", period="month")
        self.assertEqual(book.sheetnames, ["Data", "Chart Data", "Chart"])
        sheet = book["Data"]
        self.assertEqual(sheet.freeze_panes, "C5")
        headers = [cell.value for cell in sheet[4]]
        self.assertEqual(headers[:3], ["Dealer", "Month", "Sell-out Qty"])
        self.assertIn("Net Sell-out", headers)
        self.assertIn("Sell-through", headers)
        rows = {
            (row[0], row[1]): row[headers.index("Net Sell-out")]
            for row in self._table(sheet)
            if row[0] != "Total"
        }
        self.assertEqual(rows[('=HYPERLINK("http://evil","x")', "2026-10")], 1195.0)
        self.assertEqual(rows[(self.dealer_b.name, "2026-09")], 312.0)
        dealer_cell = next(
            row[0]
            for row in sheet.iter_rows(min_row=5)
            if "HYPERLINK" in str(row[0].value)
        )
        self.assertEqual(dealer_cell.data_type, "s")
        net_column = headers.index("Net Sell-out")
        self.assertEqual(sheet.cell(5, net_column + 1).number_format, "#,##0.00")

    def test_roi_by_programme(self):
        self._approved(
            800.0, approved=500.0, date_from="2026-10-01", date_to="2026-10-31"
        )
        _export, book = self._export(
            report="roi", groupby="programme_id", period="none"
        )
        sheet = book["Data"]
        headers = [cell.value for cell in sheet[4]]
        row = next(row for row in self._table(sheet) if row[0] == self.programme.name)
        figures = dict(zip(headers, row, strict=True))
        self.assertEqual(figures["Spend"], 500.0)
        self.assertEqual(figures["Incremental Sell-out"], 815.0)
        self.assertAlmostEqual(figures["ROI"], 1.63)
        self.assertAlmostEqual(figures["Cost-to-Revenue Ratio"], 500 / 1195)

    def test_inventory_with_days_of_inventory(self):
        _export, book = self._export(
            report="inventory", groupby="dealer_id", date_to="2026-11-27"
        )
        sheet = book["Data"]
        headers = [cell.value for cell in sheet[4]]
        figures = {
            row[0]: dict(zip(headers, row, strict=True)) for row in self._table(sheet)
        }
        self.assertEqual(figures[self.dealer_b.name]["Stock on Hand"], 80.0)
        self.assertAlmostEqual(figures[self.dealer_b.name]["Days of Inventory"], 360.0)

    def test_inventory_at_a_past_date(self):
        _export, book = self._export(
            report="inventory", groupby="product_id", date_to="2026-09-30"
        )
        sheet = book["Data"]
        headers = [cell.value for cell in sheet[4]]
        figures = {
            row[0]: dict(zip(headers, row, strict=True)) for row in self._table(sheet)
        }
        # dealer A's 200 and B's 100 less the 10 and 8 sold in September
        tea = figures[self.product_tea.display_name]
        self.assertEqual(
            (tea["Stock on Hand"], tea["Net Sell-out in Window"]), (282.0, 18.0)
        )
        self.assertAlmostEqual(tea["Days of Inventory"], 282 / (18 / 90))

    def test_territory_staff_export_their_territory(self):
        manager = new_test_user(
            self.env,
            login="zj_export",
            groups="dealer_portal.group_channel_user",
            dealer_territory_ids=[(6, 0, self.zhejiang.ids)],
        )
        _export, book = self._export(user=manager, groupby="dealer_id", period="none")
        names = {row[0] for row in self._table(book["Data"])}
        self.assertIn(self.dealer_a.name, names)
        self.assertNotIn(self.dealer_b.name, names)

    def test_chinese_headers(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["dealer_portal", "dealer_expense", "channel_analytics"], ["zh_CN"]
        )
        _export, book = self._export(
            user=self.channel_manager, lang="zh_CN", groupby="dealer_id", period="month"
        )
        headers = [cell.value for cell in book.worksheets[0][4]]
        self.assertEqual(headers[:2], ["经销商", "月份"])
        self.assertIn("净流向金额", headers)
