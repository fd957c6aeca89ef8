from datetime import date

from odoo.tests import BaseCase

from ..services import sellout_parser
from ..services.sellout_normaliser import normalise, parse_date, parse_number
from ..services.sellout_parser import SelloutFileError, parse


def rows(content):
    parsed = parse(content)
    return parsed, list(parsed.rows)


class TestSelloutParser(BaseCase):
    """Reading files as dealers really send them; no database needed."""

    def test_utf8_with_and_without_bom_gbk_and_separators(self):
        text = "日期;产品编码;数量;客户名称\n2026-10-05;QS-GT500;3;西湖便利店\n"
        for content in (
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("gbk"),
            text.replace(";", "\t").encode("gb18030"),
            text.replace(";", ",").encode("utf-8"),
        ):
            with self.subTest(content=content[:12]):
                parsed, found = rows(content)
                self.assertEqual(parsed.kind, "csv")
                self.assertEqual(
                    found,
                    [
                        (
                            2,
                            {
                                "date": "2026-10-05",
                                "product_code": "QS-GT500",
                                "quantity": "3",
                                "customer_name": "西湖便利店",
                            },
                        )
                    ],
                )

    def test_title_rows_and_any_column_order_keep_file_row_numbers(self):
        content = (
            "杭州嘉禾 2026年10月 流向\n"
            ",,,\n"
            "客户编码,数量,Product_Code,DATE\n"
            "C-1,5,A,2026/10/05\n"
            ",,,\n"
            "C-2,6,B,2026/10/06\n"
        ).encode()
        parsed, found = rows(content)
        self.assertEqual(parsed.headers["product_code"], "Product_Code")
        self.assertEqual([number for number, _values in found], [4, 6])
        self.assertEqual(found[1][1]["customer_code"], "C-2")

    def test_files_that_cannot_be_read(self):
        cases = {
            b"": "empty",
            b"   \n\n": "empty",
            b"a,b,c\n1,2,3\n": "No header row",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest": "Old Excel",
            b"\x00\x01\x02binary": "not a CSV",
            b"PK\x03\x04garbage": "damaged",
            "日期,产品编码,数量,客户名称\n".encode("utf-16-le"): "not a CSV",
        }
        for content, message in cases.items():
            with (
                self.subTest(message=message),
                self.assertRaises(SelloutFileError) as caught,
            ):
                parsed = parse(content)
                list(parsed.rows)
            self.assertIn(message, str(caught.exception.args[0]))

    def test_dates(self):
        for value in (
            "2026-10-05",
            "2026/10/05",
            "2026/10/5",
            "2026.10.5",
            "20261005",
            "2026年10月5日",
            "２０２６年１０月５日",
            "2026-10-05 14:30:00",
            46300,
            46300.0,
            "46300",
            date(2026, 10, 5),
        ):
            with self.subTest(value=value):
                self.assertEqual(parse_date(value), date(2026, 10, 5))

    def test_numbers(self):
        for value, expected in (
            ("1,200.00", 1200.0),
            ("¥1200", 1200.0),
            ("￥38.00", 38.0),
            ("38.00元", 38.0),
            ("RMB 1,125.50", 1125.5),
            ("(3)", -3.0),
            ("-3", -3.0),
            ("１２", 12.0),
            (5, 5.0),
        ):
            with self.subTest(value=value):
                self.assertEqual(parse_number(value, "x"), expected)

    def test_faults_name_their_field(self):
        values, faults = normalise(
            {
                "date": "2026-13-40",
                "product_code": "",
                "quantity": "five",
                "unit_price": "38",
                "amount": "100",
                "customer_code": "",
                "customer_name": "",
            }
        )
        self.assertEqual(
            [name for name, _message in faults],
            ["date", "quantity", "product_code", "customer_name"],
        )
        self.assertIsNone(values["date"])
        values, faults = normalise(
            {
                "date": "2026-10-05",
                "product_code": "A",
                "quantity": "2",
                "unit_price": "38",
                "amount": "100",
                "customer_name": "X",
            }
        )
        self.assertEqual([name for name, _m in faults], ["amount"])

    def test_hostile_cells_are_cleaned(self):
        values, faults = normalise(
            {
                "date": "2026-10-05",
                "product_code": "A\x00B\x1b",
                "quantity": "1e400",
                "customer_name": "x" * 300,
            }
        )
        self.assertEqual(values["product_code"], "AB")
        self.assertEqual(
            sorted(name for name, _m in faults), ["customer_name", "quantity"]
        )

    def test_header_aliases_are_complete(self):
        for name, headers in sellout_parser.HEADERS.items():
            for header in headers:
                self.assertEqual(sellout_parser.HEADER_INDEX[header.lower()], name)
