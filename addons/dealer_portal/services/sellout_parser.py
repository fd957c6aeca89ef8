"""Parse: the bytes of a dealer's sell-out file → its header and rows.

Reads what Chinese dealers really send: CSV in UTF-8 (with or without BOM) or
GB18030/GBK, separated by commas, semicolons or tabs, and XLSX workbooks; title
rows above the header are skipped; headers may be English or Chinese, in any
order. No ORM here: the result is plain Python, tested on its own.
"""

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Every field of the file format, with the headers that name it.
HEADERS = {
    "date": ("date", "日期", "销售日期"),
    "product_code": ("product_code", "产品编码", "商品编码"),
    "quantity": ("qty", "quantity", "数量"),
    "unit_price": ("unit_price", "单价"),
    "amount": ("amount", "金额"),
    "customer_code": ("customer_code", "客户编码"),
    "customer_name": ("customer_name", "客户名称"),
    "customer_type": ("customer_type", "客户类型"),
    "province": ("province", "省份"),
    "city": ("city", "城市"),
    "lot": ("lot", "批号"),
    "doc_ref": ("doc_ref", "单据号"),
}
FIELDS = tuple(HEADERS)
REQUIRED = ("date", "product_code", "quantity")
XLSX_SHEETS = ("sellout", "流向")
HEADER_SEARCH_ROWS = 30
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
# What other files begin with, to say what a file is when it is no sell-out.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b\x08", "gzip"),
)
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class SelloutFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for the dealer."""


@dataclass
class ParsedFile:
    """A readable file: which column holds which field, and its data rows.

    ``rows`` yields ``(row_number, values)``: the row's number in the file
    itself (header and title rows counted, from 1) and a dict of field → raw
    value (a string for CSV; a string, number, date or datetime for XLSX).
    """

    kind: str
    columns: dict
    rows: object = field(repr=False)
    headers: dict = field(default_factory=dict)


def header_key(text):
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s_\-]+", "_", text)


HEADER_INDEX = {
    header_key(header): name for name, headers in HEADERS.items() for header in headers
}


def _find_header(rows):
    """Return ``(offset, columns)`` of the first row that reads as the header."""
    for offset, row in enumerate(rows):
        columns = {}
        for index, cell in enumerate(row):
            name = HEADER_INDEX.get(header_key(cell))
            if name and name not in columns:
                columns[name] = index
        has_customer = "customer_code" in columns or "customer_name" in columns
        if all(name in columns for name in REQUIRED) and has_customer:
            return offset, columns
    raise SelloutFileError(
        _lt(
            "No header row found in the first %(rows)s rows. The file needs the "
            "columns 日期 (date), 产品编码 (product_code), 数量 (qty) and 客户编码 "
            "(customer_code) or 客户名称 (customer_name).",
            rows=HEADER_SEARCH_ROWS,
        )
    )


def _decode(content):
    for bom, encoding in BOMS:
        if content.startswith(bom):
            # Excel's "Unicode text" is UTF-16 with a byte-order mark.
            try:
                return content[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise SelloutFileError(
                    _lt(
                        "The file says it is %(encoding)s text but is not: save it "
                        "again as CSV UTF-8 or XLSX.",
                        encoding=encoding.upper(),
                    )
                ) from err
    with contextlib.suppress(UnicodeDecodeError):
        return content.decode("utf-8")
    try:
        # GB18030 is a superset of GBK and GB2312: one codec reads all three.
        return content.decode("gb18030")
    except UnicodeDecodeError as err:
        raise SelloutFileError(
            _lt("The file is neither UTF-8 nor GBK/GB18030 text, nor an XLSX workbook.")
        ) from err


def _sniff_delimiter(lines):
    """The separator that splits the header-like lines into the most columns."""
    best, best_score = ",", 0
    for delimiter in (",", ";", "\t"):
        score = max(
            (len(next(csv.reader([line], delimiter=delimiter))) for line in lines),
            default=0,
        )
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _headers(columns, header_cells):
    """Each field's column header as the dealer wrote it, to name it in messages."""
    return {name: str(header_cells[index]).strip() for name, index in columns.items()}


def _row_values(columns, cells):
    return {
        name: cells[index] if index < len(cells) else ""
        for name, index in columns.items()
    }


def _is_blank(cells):
    return not any(cells) or all(
        cell is None or str(cell).strip() == "" for cell in cells
    )


def parse_csv(content):
    text = _decode(content)
    head = text[:65536].splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = _sniff_delimiter([line for line in head if line.strip()])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    head_rows = []
    try:
        for row in reader:
            head_rows.append((reader.line_num, row))
            if len(head_rows) == HEADER_SEARCH_ROWS:
                break
    except csv.Error as err:
        raise _unreadable_row(reader.line_num) from err
    offset, columns = _find_header([row for _line, row in head_rows])

    def rows():
        for line_num, cells in head_rows[offset + 1 :]:
            if not _is_blank(cells):
                yield line_num, _row_values(columns, cells)
        try:
            for cells in reader:
                if not _is_blank(cells):
                    yield reader.line_num, _row_values(columns, cells)
        except csv.Error as err:
            raise _unreadable_row(reader.line_num) from err

    return ParsedFile("csv", columns, rows(), _headers(columns, head_rows[offset][1]))


def _unreadable_row(row):
    return SelloutFileError(
        _lt(
            "Row %(row)s cannot be read: a quote is not closed, or a cell holds "
            "more than %(max)s characters.",
            row=row,
            max=csv.field_size_limit(),
        )
    )


def _check_zip(content, unpack=True):
    """Refuse a workbook that would unpack to too much (a "zip bomb"), before
    any of it is unpacked by the reader: by the sizes the archive declares,
    then (``unpack``) by unpacking it as a stream, which stops at the declared
    size and finds a size that lied."""
    damaged = SelloutFileError(_lt("The XLSX workbook is damaged and cannot be read."))
    too_big = SelloutFileError(
        _lt(
            "The XLSX workbook unpacks to more than %(size)s MB: split it into "
            "smaller files.",
            size=MAX_XLSX_UNCOMPRESSED // (1024 * 1024),
        )
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise damaged from err
    if sum(info.file_size for info in entries) > MAX_XLSX_UNCOMPRESSED:
        raise too_big
    if not unpack:
        return
    try:
        for info in entries:
            with archive.open(info) as entry:
                while entry.read(1024 * 1024):
                    pass
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
    ) as err:
        raise damaged from err


def parse_xlsx(content):
    from python_calamine import CalamineError, CalamineWorkbook

    _check_zip(content)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = workbook.sheet_names
        wanted = next(
            (name for name in names if name.strip().lower() in XLSX_SHEETS), names[0]
        )
        sheet = workbook.get_sheet_by_name(wanted)
        first_row = sheet.start[0] if sheet.start else 0
        rows_iter = iter(sheet.iter_rows())
        head_rows = []
        for row in rows_iter:
            head_rows.append(row)
            if len(head_rows) == HEADER_SEARCH_ROWS:
                break
    except (CalamineError, IndexError, ValueError) as err:
        raise SelloutFileError(_lt("The XLSX workbook cannot be read.")) from err
    offset, columns = _find_header(head_rows)

    def rows():
        number = first_row + offset + 1
        for cells in head_rows[offset + 1 :]:
            number += 1
            if not _is_blank(cells):
                yield number, _row_values(columns, cells)
        for cells in rows_iter:
            number += 1
            if not _is_blank(cells):
                yield number, _row_values(columns, cells)

    return ParsedFile("xlsx", columns, rows(), _headers(columns, head_rows[offset]))


def precheck(content):
    """Refuse at once, before it is kept or queued, a file that cannot be a
    sell-out file: empty, of another kind, or a workbook too big to unpack.

    :raise SelloutFileError: why not
    """
    if not content or not content.strip():
        raise SelloutFileError(_lt("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        _check_zip(content, unpack=False)
    else:
        _check_kind(content)


def _check_kind(content):
    for magic, kind in MAGIC:
        if content.startswith(magic):
            raise SelloutFileError(
                _lt(
                    "The file is a %(kind)s file, not a sell-out spreadsheet: save "
                    "the sheet as XLSX or CSV.",
                    kind=kind,
                )
            )
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SelloutFileError(
            _lt(
                "Old Excel (.xls) workbooks are not read: save the file as .xlsx "
                "or CSV."
            )
        )


def parse(content):
    """Read a sell-out file; raise SelloutFileError when it cannot be read at all."""
    if not content or not content.strip():
        raise SelloutFileError(_lt("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        return parse_xlsx(content)
    _check_kind(content)
    if content.startswith(BOMS[1][0]) or content.startswith(BOMS[2][0]):
        return parse_csv(content)
    if b"\x00" in content[:4096]:
        raise SelloutFileError(
            _lt(
                "The file is not a CSV or XLSX sell-out file (if it is text, save it "
                "as CSV UTF-8)."
            )
        )
    return parse_csv(content)
