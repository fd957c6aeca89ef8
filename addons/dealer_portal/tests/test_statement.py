import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common_ordering import OrderingCommon


class StatementCommon(OrderingCommon):
    """Dealer A's account over three months.

    Before the period: an invoice of 500. In the period: an invoice of 250, a
    credit note of 50 and a payment of 400 on the first invoice. Dealer B has
    an invoice of its own.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.date_from = today - timedelta(days=60)
        cls.today = today
        cls.invoice_old = cls._invoice(
            cls._order(cls.dealer_a, [(cls.product_tea, 20)]),
            today - timedelta(days=90),
        )
        cls.invoice_new = cls._invoice(
            cls._order(cls.dealer_a, [(cls.product_tea, 10)]),
            today - timedelta(days=50),
        )
        cls.refund = cls._refund(cls.dealer_a, 50.0, today - timedelta(days=40))
        cls._pay(cls.invoice_old, 400.0, today - timedelta(days=30))
        cls.invoice_b = cls._invoice(
            cls._order(cls.dealer_b, [(cls.product_tea, 10)]),
            today - timedelta(days=20),
        )

    @classmethod
    def _refund(cls, dealer, amount, date, ref=False):
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": dealer.id,
                "invoice_date": date,
                "ref": ref,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "退货折让",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    def _statement(self, dealer, date_from=None, date_to=None):
        Report = self.env["report.dealer_portal.report_dealer_statement"]
        return Report._get_statement(
            dealer, date_from or self.date_from, date_to or self.today
        )


class TestStatement(StatementCommon):
    def test_balances_and_lines(self):
        statement = self._statement(self.dealer_a)
        self.assertEqual(statement["opening"], 500.0)
        self.assertEqual(
            [
                (line["type"], line["debit"], line["credit"])
                for line in statement["lines"]
            ],
            [
                ("Invoice", 250.0, 0.0),
                ("Credit Note", 0.0, 50.0),
                ("Payment", 0.0, 400.0),
            ],
        )
        self.assertEqual(
            [line["balance"] for line in statement["lines"]], [750.0, 700.0, 300.0]
        )
        self.assertEqual(statement["closing"], 300.0)
        self.assertEqual(statement["lines"][0]["document"], self.invoice_new.name)
        # Due 30 days after invoicing: 100 left of the first, the second in full.
        self.assertEqual(statement["overdue"], 350.0)
        self.assertEqual(statement["credit"]["limit"], 1000.0)
        self.assertEqual(statement["credit"]["available"], 700.0)

    def test_closing_balance_is_the_receivable_in_accounting(self):
        statement = self._statement(self.dealer_a)
        self.dealer_a.invalidate_recordset(["credit"])
        self.assertEqual(statement["closing"], self.dealer_a.credit)
        self.assertEqual(
            self._statement(self.dealer_b)["closing"], self.invoice_b.amount_total
        )
        earlier = self._statement(
            self.dealer_a, self.today - timedelta(days=365), self.today
        )
        self.assertEqual(earlier["opening"], 0.0)
        self.assertEqual(earlier["closing"], statement["closing"])

    def test_draft_and_cancelled_entries_are_left_out(self):
        draft = self.invoice_new.copy({"invoice_date": self.today})
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self._statement(self.dealer_a)["closing"], 300.0)

    def test_period_is_read_safely(self):
        Report = self.env["report.dealer_portal.report_dealer_statement"]
        self.assertEqual(
            Report._get_period("nonsense", "2026-13-45"),
            (self.today.replace(month=1, day=1), self.today),
        )
        self.assertEqual(
            Report._get_period("2026-03-31", "2026-03-01"),
            (fields.Date.to_date("2026-03-01"), fields.Date.to_date("2026-03-31")),
        )

    def test_xlsx_is_formatted_and_never_runs_formulas(self):
        self._refund(self.dealer_a, 10.0, self.today, ref='=HYPERLINK("http://x")')
        Report = self.env["report.dealer_portal.report_dealer_statement"]
        content = Report._get_xlsx(self._statement(self.dealer_a))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header_row = next(row for row in sheet.iter_rows() if row[0].value == "Date")[
            0
        ].row
        self.assertTrue(sheet.cell(header_row, 1).font.b)
        self.assertEqual(sheet.freeze_panes, f"A{header_row + 1}")
        self.assertGreater(sheet.column_dimensions["D"].width, 20)
        references = {
            sheet.cell(row, 4).value: sheet.cell(row, 4).data_type
            for row in range(header_row + 1, sheet.max_row + 1)
        }
        self.assertEqual(references['=HYPERLINK("http://x")'], "s")
        last = sheet.max_row
        self.assertEqual(sheet.cell(last, 8).value, 290.0)
        self.assertIn("#,##0", sheet.cell(last, 8).number_format)


@tagged("post_install", "-at_install")
class TestStatementPages(StatementCommon, HttpCase):
    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _url(self, path="/my/dealer/statement"):
        return f"{path}?date_from={self.date_from.isoformat()}"

    def test_statement_page_shows_own_account_only(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get(self._url() + f"&dealer_id={self.dealer_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_new.name, response.text)
        self.assertNotIn(self.invoice_b.name, response.text)
        self.assertIn("300.00", response.text)

        self.authenticate("dealer_b", "dealer_b")
        response = self._get(self._url())
        self.assertIn(self.invoice_b.name, response.text)
        self.assertNotIn(self.invoice_new.name, response.text)

    def test_downloads(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get(self._url("/my/dealer/statement.xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("TA01", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(sheet.max_row, 8).value, 300.0)
        response = self._get(self._url("/my/dealer/statement.pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Under test, Odoo renders reports as HTML rather than through wkhtmltopdf.
        self.assertIn(self.invoice_new.name, response.content.decode())
        self.assertNotIn(self.invoice_b.name, response.content.decode())

    def test_pdf_speaks_the_dealers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["dealer_portal"], ["zh_CN"])
        self.user_a.lang = "zh_CN"
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/zh_CN" + self._url("/my/dealer/statement.pdf"))
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        for text in ("对账单", "期初余额", "发票", "付款"):
            self.assertIn(text, content)
        self.assertNotIn("Opening balance", content)

    def test_statement_costs_the_same_for_more_entries(self):
        self.authenticate("dealer_a", "dealer_a")
        url = self._url()
        self._get(url)

        def queries_for_statement():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get(url).status_code, 200)
            return self.cr.sql_log_count - before

        few = queries_for_statement()
        for days in range(1, 6):
            invoice = self._invoice(
                self._order(self.dealer_a, [(self.product_tea, 10)]),
                self.today - timedelta(days=days),
            )
            self._pay(invoice, 100.0, self.today)
        self._refund(self.dealer_a, 20.0, self.today)
        self._get(url)
        self.assertEqual(queries_for_statement(), few)
