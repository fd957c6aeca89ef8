import io
from datetime import date

import xlsxwriter

from odoo import _, api, fields, models
from odoo.tools import format_date


class DealerStatementReport(models.AbstractModel):
    """A dealer's account statement: what it was invoiced and paid over a period.

    Read from the posted lines of the dealer's receivable accounts, so that the
    closing balance is the dealer's receivable in accounting. Shown in the
    portal, downloaded as XLSX and printed as PDF from the same figures.
    """

    _name = "report.dealer_portal.report_dealer_statement"
    _description = "Dealer Statement"

    @api.model
    def _get_period(self, date_from=None, date_to=None):
        """Read a period from posted strings; the year to date by default.

        :return: ``(date_from, date_to)``, dates, the first not after the second
        """
        today = fields.Date.context_today(self)

        def to_date(value, default):
            try:
                return fields.Date.to_date(value) or default
            except ValueError:
                return default

        date_to = to_date(date_to, today)
        date_from = to_date(date_from, date(date_to.year, 1, 1))
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return date_from, date_to

    @api.model
    def _get_statement(self, dealer, date_from, date_to):
        """Return the dealer's statement over a period, in company currency.

        :param dealer: the dealer partner (its contacts' entries count as its own)
        :return: dict with ``opening`` balance, ``lines`` (dicts with date,
            document, type, reference, date_maturity, debit, credit and running
            balance), ``total_debit``, ``total_credit``, ``closing`` balance,
            ``overdue`` (due before today and still open) and ``credit`` (see
            ``res.partner._dealer_credit``)
        """
        company = self.env.company
        # Portal users may not read payments and journal entries; the domain is
        # bound to the posted receivable lines of the dealer the caller serves.
        MoveLine = self.env["account.move.line"].sudo()
        domain = [
            ("partner_id.commercial_partner_id", "=", dealer.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("company_id", "child_of", company.root_id.id),
        ]
        [(opening,)] = MoveLine._read_group(
            [*domain, ("date", "<", date_from)], aggregates=["balance:sum"]
        )
        [(overdue,)] = MoveLine._read_group(
            [
                *domain,
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
                ("date_maturity", "<", fields.Date.context_today(self)),
            ],
            aggregates=["amount_residual:sum"],
        )
        move_lines = MoveLine.search_fetch(
            [*domain, ("date", ">=", date_from), ("date", "<=", date_to)],
            [
                "date",
                "move_id",
                "move_name",
                "name",
                "date_maturity",
                "debit",
                "credit",
            ],
            order="date, move_name, id",
        )
        types = self._line_types()
        balance = opening or 0.0
        lines = []
        for line in move_lines:
            move = line.move_id
            balance += line.debit - line.credit
            kind = self._line_type(line)
            lines.append(
                {
                    "date": line.date,
                    "document": line.move_name,
                    "type": types[kind],
                    "kind": kind,
                    "reference": move.ref or move.invoice_origin or line.name or "",
                    "date_maturity": line.date_maturity if kind == "invoice" else False,
                    "debit": line.debit,
                    "credit": line.credit,
                    "balance": balance,
                }
            )
        opening = opening or 0.0
        return {
            "dealer": dealer,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "opening": opening,
            "lines": lines,
            "total_debit": sum(line["debit"] for line in lines),
            "total_credit": sum(line["credit"] for line in lines),
            "closing": balance,
            "overdue": overdue or 0.0,
            "credit": dealer._dealer_credit(),
        }

    @api.model
    def _line_types(self):
        return {
            "invoice": _("Invoice"),
            "refund": _("Credit Note"),
            "payment": _("Payment"),
            "entry": _("Other Entry"),
        }

    @api.model
    def _line_type(self, line):
        move = line.move_id
        if move.move_type == "out_invoice":
            return "invoice"
        if move.move_type == "out_refund":
            return "refund"
        if move.origin_payment_id or move.statement_line_id:
            return "payment"
        return "entry"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Statements of the dealers, in ``data['lang']`` or else each dealer's."""
        data = data or {}
        dealers = self.env["res.partner"].browse(docids)
        date_from, date_to = self._get_period(
            data.get("date_from"), data.get("date_to")
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": dealers,
            "statement_lang": data.get("lang"),
            "statements": {
                dealer.id: self.with_context(
                    lang=data.get("lang") or dealer.lang
                )._get_statement(dealer, date_from, date_to)
                for dealer in dealers
            },
        }

    @api.model
    def _get_xlsx(self, statement):
        """Write a statement as a formatted XLSX workbook.

        :return: the file's bytes
        """
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Statement"))
        currency = statement["currency"]
        money_format = "#,##0.%s" % ("0" * currency.decimal_places)
        if not currency.decimal_places:
            money_format = "#,##0"
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "label": workbook.add_format({"bold": True}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
            ),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "money": workbook.add_format({"num_format": money_format}),
            "money_bold": workbook.add_format(
                {"num_format": money_format, "bold": True}
            ),
        }
        dealer = statement["dealer"]
        sheet.write_string(0, 0, _("Account Statement"), styles["title"])
        summary = [
            (_("Company"), statement["company"].name),
            (
                _("Dealer"),
                f"{dealer.name} ({dealer.dealer_code})"
                if dealer.dealer_code
                else dealer.name,
            ),
            (
                _("Period"),
                "%s – %s"
                % (
                    statement["date_from"].isoformat(),
                    statement["date_to"].isoformat(),
                ),
            ),
            (_("Currency"), currency.name),
        ]
        for row, (label, value) in enumerate(summary, start=1):
            sheet.write_string(row, 0, label, styles["label"])
            sheet.write_string(row, 1, value)
        credit = statement["credit"]
        figures = [
            (_("Opening balance"), statement["opening"]),
            (_("Closing balance"), statement["closing"]),
            (_("Overdue"), statement["overdue"]),
        ]
        if credit["limit"]:
            figures += [
                (_("Credit limit"), credit["limit"]),
                (_("Credit left"), credit["available"]),
            ]
        for row, (label, value) in enumerate(figures, start=1):
            sheet.write_string(row, 4, label, styles["label"])
            sheet.write_number(row, 5, value, styles["money"])

        header_row = max(len(summary), len(figures)) + 2
        headers = [
            (_("Date"), 12),
            (_("Document"), 22),
            (_("Type"), 14),
            (_("Reference"), 30),
            (_("Due Date"), 12),
            (_("Debit"), 16),
            (_("Credit"), 16),
            (_("Balance"), 16),
        ]
        for column, (label, width) in enumerate(headers):
            sheet.write_string(header_row, column, label, styles["header"])
            sheet.set_column(column, column, width)
        sheet.freeze_panes(header_row + 1, 0)

        row = header_row + 1
        sheet.write_datetime(
            row, 0, self._as_datetime(statement["date_from"]), styles["date"]
        )
        sheet.write_string(row, 3, _("Opening balance"), styles["label"])
        sheet.write_number(row, 7, statement["opening"], styles["money_bold"])
        for line in statement["lines"]:
            row += 1
            sheet.write_datetime(
                row, 0, self._as_datetime(line["date"]), styles["date"]
            )
            # Dealers' and customers' texts are written as strings, never
            # as formulas, whatever they start with.
            sheet.write_string(row, 1, line["document"] or "")
            sheet.write_string(row, 2, line["type"])
            sheet.write_string(row, 3, line["reference"])
            if line["date_maturity"]:
                sheet.write_datetime(
                    row, 4, self._as_datetime(line["date_maturity"]), styles["date"]
                )
            sheet.write_number(row, 5, line["debit"], styles["money"])
            sheet.write_number(row, 6, line["credit"], styles["money"])
            sheet.write_number(row, 7, line["balance"], styles["money"])
        row += 1
        sheet.write_datetime(
            row, 0, self._as_datetime(statement["date_to"]), styles["date"]
        )
        sheet.write_string(row, 3, _("Closing balance"), styles["label"])
        sheet.write_number(row, 5, statement["total_debit"], styles["money_bold"])
        sheet.write_number(row, 6, statement["total_credit"], styles["money_bold"])
        sheet.write_number(row, 7, statement["closing"], styles["money_bold"])
        workbook.close()
        return output.getvalue()

    @api.model
    def _as_datetime(self, value):
        return fields.Datetime.to_datetime(value)

    @api.model
    def _get_filename(self, statement, extension):
        dealer = statement["dealer"]
        return "%s-%s-%s.%s" % (
            _("statement"),
            dealer.dealer_code or dealer.id,
            statement["date_to"].isoformat(),
            extension,
        )

    @api.model
    def _format_date(self, value):
        return format_date(self.env, value)
