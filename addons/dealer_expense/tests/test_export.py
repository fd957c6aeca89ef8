import base64
import io

import openpyxl

from .common import ExpenseCommon


class TestExport(ExpenseCommon):
    """The XLSX of claims and write-offs for a period, for finance."""

    def _workbook(self, user, **values):
        wizard = (
            self.env["dealer.expense.export"]
            .with_user(user)
            .create({"date_from": "2020-01-01", "date_to": "2099-12-31", **values})
        )
        action = wizard.action_export()
        self.assertIn(f"id={wizard.id}", action["url"])
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    def _rows(self, sheet):
        return [
            [cell.value for cell in row]
            for row in sheet.iter_rows(min_row=5)
            if row[0].value
        ]

    def test_claims_and_write_offs_of_the_period(self):
        written_off = self._approved(1200, approved=1000, description="=HYPERLINK(1)")
        move = written_off.with_user(self.billing).action_write_off()[0]
        pending = self._claim(300)
        pending.action_submit()
        self._claim(50)  # a draft is nobody's business yet
        book = self._workbook(self.billing)
        self.assertEqual(book.sheetnames, ["Claims", "Write-offs"])
        claims = book["Claims"]
        self.assertEqual(claims["A4"].value, "Claim")
        rows = {row[0]: row for row in self._rows(claims)}
        self.assertIn(written_off.name, rows)
        self.assertIn(pending.name, rows)
        row = rows[written_off.name]
        self.assertEqual(row[2:4], ["TA01", "浙江测试商贸"])
        self.assertEqual(row[9:11], [1200, 1000])
        self.assertEqual(row[14], move.name)
        # a dealer's text is a text, never a formula
        self.assertEqual(row[16], "=HYPERLINK(1)")
        self.assertEqual(claims.cell(row=5, column=17).data_type, "s")
        totals = [
            row for row in claims.iter_rows(min_row=5) if row[0].value == "Total"
        ][0]
        self.assertTrue(str(totals[9].value).startswith("=SUM("))
        write_offs = {row[0]: row for row in self._rows(book["Write-offs"])}
        row = write_offs[move.name]
        self.assertEqual(row[3], written_off.name)
        self.assertEqual(row[8], 1000)
        self.assertIn(self.expense_account.code, row[7])

    def test_channel_staff_export_claims_without_accounting_rights(self):
        claim = self._approved(100)
        claim.action_write_off()
        book = self._workbook(self.channel_user)
        self.assertIn(claim.name, [row[0] for row in self._rows(book["Claims"])])
        self.assertFalse(
            [row for row in self._rows(book["Write-offs"]) if row[0] != "Total"]
        )
