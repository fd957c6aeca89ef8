import base64
import io
from datetime import date

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.dealer_portal.services import xlsx_styles

REPORTS = [
    ("flow", "Sell-in and Sell-out"),
    ("inventory", "Channel Inventory"),
    ("roi", "Expense ROI"),
]
GROUPINGS = [
    ("region_id", "Region"),
    ("province_id", "Province"),
    ("territory_id", "Territory"),
    ("dealer_id", "Dealer"),
    ("dealer_level", "Dealer Level"),
    ("product_id", "Product"),
    ("categ_id", "Product Category"),
    ("customer_type", "Customer Type"),
    ("claim_id", "Claim"),
    ("fund_id", "Fund"),
    ("programme_id", "Programme"),
    ("expense_type_id", "Expense Type"),
]
PERIODS = [
    ("none", "Whole Period"),
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
]
# Per report: its model, the groupings it offers, its measures (with their
# number format) and whether it has a period.
SPECS = {
    "flow": {
        "model": "channel.flow.report",
        "groupings": [
            "region_id",
            "province_id",
            "territory_id",
            "dealer_id",
            "dealer_level",
            "product_id",
            "categ_id",
            "customer_type",
        ],
        "measures": [
            ("sellout_qty", "qty"),
            ("sellout_amount", "money"),
            ("return_qty", "qty"),
            ("return_amount", "money"),
            ("net_qty", "qty"),
            ("net_amount", "money"),
            ("sellin_qty", "qty"),
            ("sellin_amount", "money"),
        ],
        "dated": True,
        "chart": ["net_amount", "sellin_amount"],
    },
    "inventory": {
        "model": "channel.inventory.report",
        "groupings": [
            "region_id",
            "province_id",
            "territory_id",
            "dealer_id",
            "dealer_level",
            "product_id",
            "categ_id",
        ],
        "measures": [
            ("stock_qty", "qty"),
            ("stock_value", "money"),
            ("sold_qty", "qty"),
            ("daily_sellout", "qty"),
        ],
        "dated": False,
        "chart": ["stock_qty"],
    },
    "roi": {
        "model": "channel.roi.report",
        "groupings": [
            "claim_id",
            "fund_id",
            "programme_id",
            "expense_type_id",
            "region_id",
            "province_id",
            "dealer_id",
        ],
        "measures": [
            ("spend", "money"),
            ("sellout_amount", "money"),
            ("baseline_amount", "money"),
            ("incremental_amount", "money"),
        ],
        "dated": True,
        "chart": ["spend", "incremental_amount"],
    },
}
# Rows of the chart sheet's bar chart for reports without a period.
CHART_ROWS = 15


class ChannelAnalyticsExport(models.TransientModel):
    """A formatted spreadsheet of one of the analytics reports, grouped as
    chosen, with the caller's record rules (territory-scoped staff export
    their territories only). Column names follow the user's language; text
    from the data is always written as text, never as a formula."""

    _name = "channel.analytics.export"
    _description = "Export Channel Analytics"

    report = fields.Selection(REPORTS, required=True, default="flow")
    groupby = fields.Selection(
        GROUPINGS, string="Rows", required=True, default="region_id"
    )
    period = fields.Selection(PERIODS, required=True, default="month")
    date_from = fields.Date(
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
    )
    date_to = fields.Date(default=fields.Date.context_today)
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("report", "groupby")
    def _check_groupby(self):
        for export in self:
            if export.groupby not in SPECS[export.report]["groupings"]:
                raise UserError(
                    _(
                        "This report cannot be grouped by %(rows)s.",
                        rows=dict(
                            self._fields["groupby"]._description_selection(self.env)
                        )[export.groupby],
                    )
                )

    @api.onchange("report")
    def _onchange_report(self):
        if self.groupby not in SPECS[self.report]["groupings"]:
            self.groupby = SPECS[self.report]["groupings"][0]

    def action_export(self):
        self.ensure_one()
        spec = SPECS[self.report]
        if spec["dated"] and not (self.date_from and self.date_to):
            raise UserError(_("Choose the period to export."))
        if spec["dated"] and self.date_from > self.date_to:
            raise UserError(_("The period ends before it starts."))
        label = dict(self._fields["report"]._description_selection(self.env))[
            self.report
        ]
        self.write(
            {
                "file": base64.b64encode(self._xlsx()),
                "file_name": _(
                    "%(report)s %(date)s.xlsx",
                    report=label,
                    date=fields.Date.context_today(self),
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            "&filename_field=file_name&download=true",
            "target": "self",
        }

    # -- data -------------------------------------------------------------------

    def _period_groupby(self):
        spec = SPECS[self.report]
        if not spec["dated"] or self.period == "none":
            return None
        return f"date:{self.period}"

    def _domain(self):
        if not SPECS[self.report]["dated"]:
            return []
        return [("date", ">=", self.date_from), ("date", "<=", self.date_to)]

    def _rows(self):
        """``[(row label, period label or None, {measure: value})]`` sorted by
        row then period, read with the user's rules."""
        spec = SPECS[self.report]
        Model = self.env[spec["model"]]
        if not spec["dated"] and self.date_to:
            Model = Model.with_context(channel_inventory_date=self.date_to)
        period = self._period_groupby()
        groupby = [self.groupby] + ([period] if period else [])
        measures = [name for name, _kind in spec["measures"]]
        groups = Model._read_group(
            self._domain(), groupby, [f"{name}:sum" for name in measures]
        )
        labels = (
            dict(Model._fields[self.groupby]._description_selection(self.env))
            if (Model._fields[self.groupby].type == "selection")
            else {}
        )
        rows = []
        for group in groups:
            key = group[0]
            if labels:
                row_label = labels.get(key, "")
            else:
                row_label = key.display_name if key else _("Undefined")
            period_value = group[1] if period else None
            values = dict(zip(measures, group[len(groupby) :], strict=True))
            rows.append((row_label, period_value, values))
        rows.sort(key=lambda row: (str(row[0]), row[1] or date.min))
        return rows

    def _ratios(self, values):
        """Ratios of a row, computed from its sums (never summed)."""
        if self.report == "flow":
            sellin = values["sellin_qty"]
            return [values["net_qty"] / sellin if sellin else None]
        if self.report == "inventory":
            daily = values["daily_sellout"]
            return [values["stock_qty"] / daily if daily > 0 else None]
        spend, sellout = values["spend"], values["sellout_amount"]
        return [
            values["incremental_amount"] / spend if spend else None,
            spend / sellout if sellout else None,
        ]

    def _ratio_columns(self):
        if self.report == "flow":
            return [(_("Sell-through"), "percent")]
        if self.report == "inventory":
            return [(_("Days of Inventory"), "days")]
        return [(_("ROI"), "ratio"), (_("Cost-to-Revenue Ratio"), "percent")]

    # -- workbook ---------------------------------------------------------------

    def _xlsx(self):
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        styles = self._styles(book)
        rows = self._rows()
        self._write_data(book, styles, rows)
        self._write_chart(book, styles, rows)
        book.close()
        return output.getvalue()

    def _styles(self, book):
        return xlsx_styles.styles(
            book,
            qty={"num_format": "#,##0.00", "valign": "top"},
            ratio={"num_format": "0.00", "valign": "top"},
            days={"num_format": "#,##0.0", "valign": "top"},
        )

    def _columns(self):
        spec = SPECS[self.report]
        Model = self.env[spec["model"]]
        columns = [
            (Model._fields[self.groupby]._description_string(self.env), "text", 28)
        ]
        if self._period_groupby():
            period = dict(self._fields["period"]._description_selection(self.env))
            columns.append((period[self.period], "text", 14))
        columns += [
            (Model._fields[name]._description_string(self.env), kind, 15)
            for name, kind in spec["measures"]
        ]
        columns += [(label, kind, 14) for label, kind in self._ratio_columns()]
        return columns

    def _write_data(self, book, styles, rows):
        sheet = book.add_worksheet(_("Data"))
        report = dict(self._fields["report"]._description_selection(self.env))
        sheet.write_string(0, 0, report[self.report], styles["title"])
        if SPECS[self.report]["dated"]:
            subtitle = _(
                "%(company)s, %(date_from)s – %(date_to)s",
                company=self.env.company.name,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        else:
            subtitle = _(
                "%(company)s, on %(date)s",
                company=self.env.company.name,
                date=self.date_to or fields.Date.context_today(self),
            )
        sheet.write_string(1, 0, subtitle)
        columns = self._columns()
        for col, (label, _kind, width) in enumerate(columns):
            sheet.write_string(3, col, label, styles["header"])
            sheet.set_column(col, col, width)
        keys = 2 if self._period_groupby() else 1
        sheet.freeze_panes(4, keys)
        measures = [name for name, _kind in SPECS[self.report]["measures"]]
        totals = dict.fromkeys(measures, 0.0)
        row = 4
        for label, period, values in rows:
            cells = [label]
            if keys == 2:
                cells.append(self._period_label(period))
            cells += [values[name] or 0.0 for name in measures]
            cells += self._ratios(values)
            for col, value in enumerate(cells):
                kind = columns[col][1]
                if value is None:
                    sheet.write_blank(row, col, None, styles["text"])
                elif kind == "text":
                    # Names come from users: never let one become a formula.
                    sheet.write_string(row, col, str(value), styles["text"])
                else:
                    sheet.write_number(row, col, value, styles[kind])
            for name in measures:
                totals[name] += values[name] or 0.0
            row += 1
        sheet.write_string(row, 0, _("Total"), styles["total_label"])
        for col in range(1, keys):
            sheet.write_blank(row, col, None, styles["total_label"])
        for offset, name in enumerate(measures):
            sheet.write_number(row, keys + offset, totals[name], styles["total"])
        for offset, ratio in enumerate(self._ratios(totals)):
            col = keys + len(measures) + offset
            kind = columns[col][1]
            if ratio is None:
                sheet.write_blank(row, col, None, styles["total_label"])
            else:
                sheet.write_number(row, col, ratio, styles[kind])
        sheet.autofilter(3, 0, max(row - 1, 3), len(columns) - 1)

    def _period_label(self, value):
        if not value:
            return ""
        if self.period == "year":
            return value.strftime("%Y")
        if self.period == "quarter":
            return f"{value.year} Q{(value.month - 1) // 3 + 1}"
        if self.period == "month":
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d")

    def _write_chart(self, book, styles, rows):
        """A chart sheet: by period for reports with one, else the largest
        rows; its figures on a sheet of their own."""
        spec = SPECS[self.report]
        Model = self.env[spec["model"]]
        series = spec["chart"]
        sheet = book.add_worksheet(_("Chart Data"))
        if self._period_groupby():
            by_key = {}
            for _label, period, values in rows:
                sums = by_key.setdefault(period, dict.fromkeys(series, 0.0))
                for name in series:
                    sums[name] += values[name] or 0.0
            points = [
                (self._period_label(period), sums)
                for period, sums in sorted(by_key.items(), key=lambda item: item[0])
            ]
            kind = "line"
        else:
            points = sorted(
                ((label, values) for label, _period, values in rows),
                key=lambda point: -(point[1][series[0]] or 0.0),
            )[:CHART_ROWS]
            kind = "bar"
        if not points:
            return
        sheet.write_string(0, 0, "", styles["header"])
        for col, name in enumerate(series, start=1):
            sheet.write_string(
                0,
                col,
                Model._fields[name]._description_string(self.env),
                styles["header"],
            )
        for row, (label, values) in enumerate(points, start=1):
            sheet.write_string(row, 0, str(label), styles["text"])
            for col, name in enumerate(series, start=1):
                sheet.write_number(row, col, values[name] or 0.0, styles["money"])
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, len(series), 15)
        chart = book.add_chart({"type": kind})
        for col in range(1, len(series) + 1):
            chart.add_series(
                {
                    "name": [sheet.name, 0, col],
                    "categories": [sheet.name, 1, 0, len(points), 0],
                    "values": [sheet.name, 1, col, len(points), col],
                }
            )
        report = dict(self._fields["report"]._description_selection(self.env))
        chart.set_title({"name": report[self.report]})
        chart.set_legend({"position": "bottom"})
        chartsheet = book.add_chartsheet(_("Chart"))
        chartsheet.set_chart(chart)
