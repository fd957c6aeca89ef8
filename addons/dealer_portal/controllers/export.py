from odoo.addons.web.controllers.export import (
    ExcelExport,
    ExportXlsxWriter,
    GroupExportXlsxWriter,
)


class DealerExcelExport(ExcelExport):
    """Odoo's XLSX export of lists, with every text written as a text.

    Dealers type customer names and document numbers; one that begins with
    "=" (``=HYPERLINK(…)``) would become a formula in Odoo's export, and run
    when channel staff open the file.
    """

    def from_group_data(self, fields, columns_headers, groups):
        with GroupExportXlsxWriter(fields, columns_headers, groups.count) as writer:
            writer.worksheet.strings_to_formulas = False
            x, y = 1, 0
            for group_name, group in groups.children.items():
                x, y = writer.write_group(x, y, group_name, group)
        return writer.value

    def from_data(self, fields, columns_headers, rows):
        with ExportXlsxWriter(fields, columns_headers, len(rows)) as writer:
            writer.worksheet.strings_to_formulas = False
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    writer.write_cell(row_index + 1, cell_index, cell_value)
        return writer.value
