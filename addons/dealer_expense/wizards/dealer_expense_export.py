import base64
import io
from datetime import date

import xlsxwriter

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.dealer_portal.services import xlsx_styles


class DealerExpenseExport(models.TransientModel):
    _name = "dealer.expense.export"
    _description = "Export Expense Claims and Write-offs"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        self.write(
            {
                "file": base64.b64encode(self._xlsx()),
                "file_name": _(
                    "claims %(date_from)s %(date_to)s.xlsx",
                    date_from=self.date_from,
                    date_to=self.date_to,
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            "&filename_field=file_name&download=true",
            "target": "self",
        }

    def _claims(self):
        return self.env["dealer.expense.claim"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "!=", "draft"),
                ("submitted_date", ">=", self.date_from),
                ("submitted_date", "<", fields.Date.add(self.date_to, days=1)),
            ],
            order="submitted_date, id",
        )

    def _write_offs(self):
        Move = self.env["account.move"]
        if not Move.has_access("read"):
            return Move
        return Move.search(
            [
                ("company_id", "=", self.company_id.id),
                ("dealer_expense_claim_id", "!=", False),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            order="date, id",
        )

    def _xlsx(self):
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        styles = xlsx_styles.styles(book)
        self._sheet_claims(book, styles)
        self._sheet_write_offs(book, styles)
        book.close()
        return output.getvalue()

    def _sheet(self, book, styles, name, title, columns):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, title, styles["title"])
        sheet.write_string(
            1,
            0,
            _(
                "%(company)s, %(date_from)s – %(date_to)s",
                company=self.company_id.name,
                date_from=self.date_from,
                date_to=self.date_to,
            ),
        )
        for col, (label, width) in enumerate(columns):
            sheet.write_string(3, col, label, styles["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(4, 0)
        return sheet

    def _write_row(self, sheet, styles, row, values):
        for col, value in enumerate(values):
            if isinstance(value, bool) or value is None:
                sheet.write_blank(row, col, None, styles["text"])
            elif isinstance(value, float | int):
                sheet.write_number(row, col, value, styles["money"])
            elif isinstance(value, date):
                sheet.write_datetime(row, col, value, styles["date"])
            else:
                # Dealers' text may start with "=": never let it be a formula.
                sheet.write_string(row, col, str(value), styles["wrap"])

    def _write_totals(self, sheet, styles, row, first_row, money_columns):
        sheet.write_string(row, 0, _("Total"), styles["total_label"])
        for col in money_columns:
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.write_formula(
                row,
                col,
                f"=SUM({letter}{first_row + 1}:{letter}{row})",
                styles["total"],
            )

    def _sheet_claims(self, book, styles):
        states = dict(
            self.env["dealer.expense.claim"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        methods = dict(
            self.env["dealer.expense.claim"]
            ._fields["payment_method"]
            ._description_selection(self.env)
        )
        columns = [
            (_("Claim"), 16),
            (_("Submitted"), 12),
            (_("Dealer Code"), 10),
            (_("Dealer"), 26),
            (_("Fund"), 24),
            (_("Programme"), 18),
            (_("Expense Type"), 12),
            (_("Activity Start"), 12),
            (_("Activity End"), 12),
            (_("Requested"), 14),
            (_("Approved"), 14),
            (_("Currency"), 8),
            (_("Status"), 12),
            (_("Payment"), 14),
            (_("Write-off Document"), 18),
            (_("Reason"), 40),
            (_("Description"), 40),
        ]
        sheet = self._sheet(book, styles, _("Claims"), _("Expense Claims"), columns)
        row = first_row = 4
        for claim in self._claims():
            self._write_row(
                sheet,
                styles,
                row,
                [
                    claim.name,
                    claim.submitted_date.date(),
                    claim.dealer_id.dealer_code,
                    claim.dealer_id.name,
                    claim.fund_id.name,
                    claim.programme_id.name,
                    claim.expense_type_id.name,
                    claim.date_from,
                    claim.date_to,
                    claim.requested_amount,
                    claim.approved_amount,
                    claim.currency_id.name,
                    states[claim.state],
                    methods[claim.payment_method],
                    # the document's number shows on the claim, to whoever
                    # reads it, accounting rights or not
                    claim.sudo().move_id.name,
                    claim.decision_reason,
                    claim.description,
                ],
            )
            row += 1
        if row > first_row:
            sheet.autofilter(3, 0, row - 1, len(columns) - 1)
        self._write_totals(sheet, styles, row, first_row, [9, 10])

    def _sheet_write_offs(self, book, styles):
        Move = self.env["account.move"]
        types = dict(Move._fields["move_type"]._description_selection(self.env))
        states = dict(Move._fields["state"]._description_selection(self.env))
        columns = [
            (_("Document"), 18),
            (_("Date"), 12),
            (_("Kind"), 16),
            (_("Claim"), 16),
            (_("Dealer Code"), 10),
            (_("Dealer"), 26),
            (_("Expense Type"), 12),
            (_("Account"), 28),
            (_("Amount"), 14),
            (_("Currency"), 8),
            (_("Amount in Company Currency"), 16),
            (_("Status"), 12),
            (_("Reversed By"), 18),
        ]
        sheet = self._sheet(book, styles, _("Write-offs"), _("Write-offs"), columns)
        row = first_row = 4
        for move in self._write_offs():
            claim = move.dealer_expense_claim_id
            expense_lines = move.invoice_line_ids
            self._write_row(
                sheet,
                styles,
                row,
                [
                    move.name,
                    move.date,
                    types[move.move_type],
                    claim.name,
                    claim.dealer_id.dealer_code,
                    move.partner_id.name,
                    claim.expense_type_id.name,
                    ", ".join(expense_lines.account_id.mapped("display_name")),
                    move.amount_total,
                    move.currency_id.name,
                    abs(move.amount_total_signed),
                    states[move.state],
                    ", ".join(move.reversal_move_ids.mapped("name")),
                ],
            )
            row += 1
        if row > first_row:
            sheet.autofilter(3, 0, row - 1, len(columns) - 1)
        self._write_totals(sheet, styles, row, first_row, [10])
