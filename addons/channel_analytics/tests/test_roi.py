from datetime import date

from odoo.fields import Command
from odoo.tests import freeze_time

from .common import AnalyticsCommon


@freeze_time("2026-11-27")
class TestRoi(AnalyticsCommon):
    """Expense ROI of a claim against its baseline, on the claim and in the
    report.

    Dealer A's claim covers October 2026 (31 days): its sell-out is
    800 + 475 - 80 = 1,195; the preceding 31 days (2026-08-31 to 2026-09-30)
    hold the 380 of 2026-09-05; approved spend 500.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls._approved(
            800.0, approved=500.0, date_from="2026-10-01", date_to="2026-10-31"
        )

    def _figures(self, claim):
        claim.invalidate_recordset()
        return (
            claim.roi_spend,
            claim.roi_sellout_amount,
            claim.roi_baseline_amount,
            claim.roi_incremental_amount,
            round(claim.roi, 2),
            round(claim.cost_revenue_ratio, 4),
        )

    def test_roi_against_the_preceding_window(self):
        self.assertEqual(
            (self.claim.roi_baseline_from, self.claim.roi_baseline_to),
            (date(2026, 8, 31), date(2026, 9, 30)),
        )
        # ROI = (1195 - 380) / 500; 费效比 = 500 / 1195
        self.assertEqual(
            self._figures(self.claim), (500.0, 1195.0, 380.0, 815.0, 1.63, 0.4184)
        )
        # the claim's own sell-out (raw lines) agrees with the summary's
        self.assertEqual(self.claim.sellout_amount, self.claim.roi_sellout_amount)

    def test_roi_against_last_year(self):
        self.company.channel_roi_baseline = "last_year"
        self.assertEqual(
            self._figures(self.claim), (500.0, 1195.0, 0.0, 1195.0, 2.39, 0.4184)
        )
        self.assertEqual(self.claim.roi_baseline_from, date(2025, 10, 1))

    def test_roi_in_the_claims_scope(self):
        claim = self._approved(
            300.0,
            date_from="2026-10-01",
            date_to="2026-10-31",
            product_ids=[Command.set(self.product_tea.ids)],
        )
        # tea only: 800 - 80 in October against 380 in September
        self.assertEqual(
            self._figures(claim), (300.0, 720.0, 380.0, 340.0, 1.13, 0.4167)
        )
        self.assertEqual(claim.sellout_amount, claim.roi_sellout_amount)

    def test_report_adds_up_by_programme(self):
        report = self.env["channel.roi.report"].search(
            [("claim_id", "=", self.claim.id)]
        )
        self.assertEqual(
            (
                report.spend,
                report.sellout_amount,
                report.baseline_amount,
                report.incremental_amount,
                round(report.roi, 2),
                round(report.cost_revenue_ratio, 4),
                report.programme_id,
                report.region_id,
            ),
            (
                500.0,
                1195.0,
                380.0,
                815.0,
                1.63,
                0.4184,
                self.programme,
                self.env.ref("dealer_portal.territory_east"),
            ),
        )
