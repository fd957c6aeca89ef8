import base64
import io
from datetime import date

import xlsxwriter

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.dealer_portal.services import xlsx_styles


class DealerKeyCustomerExport(models.TransientModel):
    _name = "dealer.key.customer.export"
    _description = "Export Key Customers"

    dealer_id = fields.Many2one(
        "res.partner",
        domain=[("is_dealer", "=", True)],
        help="Leave empty to export the key customers of every dealer you see.",
    )
    abc_classes = fields.Selection(
        [("all", "All Classes"), ("A", "Class A only"), ("AB", "Classes A and B")],
        string="Classes",
        required=True,
        default="all",
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        records = self._key_customers()
        if not records:
            raise UserError(_("No key customer to export: rank them first."))
        self.write(
            {
                "file": base64.b64encode(self._xlsx(records)),
                "file_name": _(
                    "key customers %(date)s.xlsx", date=max(records.mapped("date_to"))
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            "&filename_field=file_name&download=true",
            "target": "self",
        }

    def _key_customers(self):
        domain = [("company_id", "=", self.env.company.id)]
        if self.dealer_id:
            domain.append(("dealer_id", "=", self.dealer_id.id))
        if self.abc_classes != "all":
            domain.append(("abc_class", "in", list(self.abc_classes)))
        return self.env["dealer.key.customer"].search(domain)

    def _columns(self):
        """``(label, width, kind, value getter)`` of each column."""
        Key = self.env["dealer.key.customer"]

        def labels(name):
            return dict(Key._fields[name]._description_selection(self.env))

        types, segments, trends = (
            labels("customer_type"),
            labels("rfm_segment"),
            labels("trend_direction"),
        )
        return [
            (_("Dealer Code"), 10, "text", lambda k: k.dealer_id.dealer_code),
            (_("Dealer"), 26, "text", lambda k: k.dealer_id.name),
            (_("Rank"), 6, "integer", lambda k: k.rank),
            (_("Customer Code"), 14, "text", lambda k: k.customer_id.code),
            (_("Customer"), 28, "text", lambda k: k.customer_id.name),
            (_("Type"), 12, "text", lambda k: types.get(k.customer_type)),
            (_("Territory"), 22, "text", lambda k: k.territory_id.complete_name),
            (_("Sell-out"), 14, "money", lambda k: k.amount),
            (_("Share (%)"), 9, "percent", lambda k: k.share / 100),
            (_("Cumulative (%)"), 11, "percent", lambda k: k.cumulative_share / 100),
            (_("ABC"), 6, "text", lambda k: k.abc_class),
            (_("Overall Rank"), 8, "integer", lambda k: k.rank_overall),
            (_("Overall ABC"), 8, "text", lambda k: k.abc_class_overall),
            (_("Last Purchase"), 12, "date", lambda k: k.last_date),
            (_("Days Since Last"), 9, "integer", lambda k: k.recency_days),
            (_("Months Bought"), 9, "integer", lambda k: k.active_months),
            (_("R"), 4, "integer", lambda k: k.r_score),
            (_("F"), 4, "integer", lambda k: k.f_score),
            (_("M"), 4, "integer", lambda k: k.m_score),
            (_("Segment"), 14, "text", lambda k: segments.get(k.rfm_segment)),
            (_("Last 3 Months"), 14, "money", lambda k: k.amount_recent),
            (_("3 Months Before"), 14, "money", lambda k: k.amount_previous),
            (
                _("Trend (%)"),
                9,
                "percent",
                lambda k: (
                    k.trend / 100
                    if k.trend_direction in ("up", "flat", "down")
                    else None
                ),
            ),
            (_("Trend"), 10, "text", lambda k: trends.get(k.trend_direction)),
        ]

    def _xlsx(self, records):
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        styles = xlsx_styles.styles(book)
        columns = self._columns()
        sheet = book.add_worksheet(_("Key Customers"))
        sheet.write_string(0, 0, _("Key Customers"), styles["title"])
        sheet.write_string(
            1,
            0,
            _(
                "%(company)s, 12 months to %(date)s",
                company=self.env.company.name,
                date=max(records.mapped("date_to")),
            ),
        )
        for col, (label, width, _kind, _value) in enumerate(columns):
            sheet.write_string(3, col, label, styles["header"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(4, 2)
        sheet.autofilter(3, 0, 3 + len(records), len(columns) - 1)
        for row, record in enumerate(records, start=4):
            for col, (_label, _width, kind, value_of) in enumerate(columns):
                value = value_of(record)
                if value is None or value is False:
                    sheet.write_blank(row, col, None, styles["text"])
                elif kind == "date" and isinstance(value, date):
                    sheet.write_datetime(row, col, value, styles["date"])
                elif kind in ("integer", "money", "percent"):
                    sheet.write_number(row, col, value, styles[kind])
                else:
                    # Dealers' customer names may start with "=": never a formula.
                    sheet.write_string(row, col, str(value), styles["text"])
        book.close()
        return output.getvalue()
