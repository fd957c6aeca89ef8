"""The XLSX template dealers fill in: a 流向 sheet with data validation, and
helper sheets listing their products and customers. Reading it back goes
through the usual parser, so the template round-trips."""

import io

import xlsxwriter

# Columns of the 流向 sheet, in the file format's field names.
TEMPLATE_FIELDS = (
    ("date", "日期", 12),
    ("product_code", "产品编码", 14),
    ("quantity", "数量", 8),
    ("unit_price", "单价", 10),
    ("amount", "金额", 12),
    ("customer_code", "客户编码", 12),
    ("customer_name", "客户名称", 26),
    ("customer_type", "客户类型", 14),
    ("province", "省份", 10),
    ("city", "城市", 10),
    ("lot", "批号", 12),
    ("doc_ref", "单据号", 14),
)
DATA_ROWS = 2000


def build_template(products, customers, labels):
    """Return the bytes of the template workbook.

    :param products: list of ``(code, name)``
    :param customers: list of ``(code, name, type, province, city)``
    :param labels: dict with the translated ``products``, ``customers`` and
        ``help`` texts shown in the workbook
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#E9ECEF", "border": 1, "align": "center"}
    )
    text = workbook.add_format({"num_format": "@"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money = workbook.add_format({"num_format": "#,##0.00"})

    sheet = workbook.add_worksheet("流向")
    formats = {"date": day, "unit_price": money, "amount": money, "quantity": None}
    for column, (name, title, width) in enumerate(TEMPLATE_FIELDS):
        sheet.write_string(0, column, title, header)
        sheet.set_column(column, column, width, formats.get(name, text))
    sheet.freeze_panes(1, 0)
    last = DATA_ROWS
    column_of = {name: index for index, (name, _t, _w) in enumerate(TEMPLATE_FIELDS)}
    sheet.data_validation(
        1,
        column_of["date"],
        last,
        column_of["date"],
        {
            "validate": "date",
            "criteria": ">",
            "value": "2000-01-01",
            "error_message": labels["date_error"],
        },
    )
    sheet.data_validation(
        1,
        column_of["quantity"],
        last,
        column_of["quantity"],
        {
            "validate": "decimal",
            "criteria": "!=",
            "value": 0,
            "error_message": labels["quantity_error"],
        },
    )
    if products:
        sheet.data_validation(
            1,
            column_of["product_code"],
            last,
            column_of["product_code"],
            {
                "validate": "list",
                "source": f"='{labels['products']}'!$A$2:$A${len(products) + 1}",
                "error_type": "warning",
                "error_message": labels["product_error"],
            },
        )
    if customers:
        sheet.data_validation(
            1,
            column_of["customer_code"],
            last,
            column_of["customer_code"],
            {
                "validate": "list",
                "source": f"='{labels['customers']}'!$A$2:$A${len(customers) + 1}",
                "error_type": "information",
                "error_message": labels["customer_error"],
            },
        )
    sheet.write_comment(0, 0, labels["help"], {"x_scale": 3, "y_scale": 2})

    for title, columns, rows in (
        (labels["products"], labels["product_columns"], products),
        (labels["customers"], labels["customer_columns"], customers),
    ):
        helper = workbook.add_worksheet(title)
        for column, name in enumerate(columns):
            helper.write_string(0, column, name, header)
            helper.set_column(column, column, 24 if column == 1 else 14)
        for row, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                # write_string: a name starting with = must never become a formula
                helper.write_string(row, column, str(value or ""))
        helper.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()
