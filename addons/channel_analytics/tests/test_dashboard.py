from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user
from odoo.tools import SQL

from .common import AnalyticsCommon


@freeze_time("2026-11-27")
class TestDashboard(AnalyticsCommon):
    """The manager's dashboard: its figures and who sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo's trade would add to the figures: keep the test's own.
        for table in ("channel_flow_monthly", "channel_flow_category"):
            cls.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE dealer_id <> ALL(%s)",
                    SQL.identifier(table),
                    (cls.dealer_a | cls.dealer_b).ids,
                )
            )

    def _data(self, user):
        return self.env["channel.dashboard"].with_user(user).get_dashboard_data()

    def test_figures(self):
        data = self._data(self.channel_manager)
        trend = {month["month"]: month for month in data["months"]["trend"]}
        self.assertEqual(len(trend), 24)
        self.assertEqual(trend["2026-09"]["net_amount"], 692.0)
        self.assertEqual(trend["2026-10"]["net_amount"], 1663.0)
        self.assertEqual(trend["2026-08"]["sellin_amount"], 13800.0 + 3000.0)
        kpis = data["months"]["kpis"]
        self.assertEqual(kpis["ytd_net"], 692.0 + 1663.0)
        # stock: 172 + 95 (A) + 80 (B); sold in Sep-Nov: 28 + 5 + 20 over 88 days
        self.assertEqual(kpis["stock_qty"], 347.0)
        self.assertAlmostEqual(kpis["days_of_inventory"], 347 / (53 / 88), places=3)
        # sell-through: 53 sold net of 400 bought in 12 months
        self.assertAlmostEqual(kpis["sell_through"], 53 / 400)
        top = [(row["id"], row["net_amount"]) for row in data["dealers"]["top"]]
        self.assertEqual(top, [(self.dealer_a.id, 1575.0), (self.dealer_b.id, 780.0)])
        self.assertEqual(
            [(row["name"], row["net_amount"]) for row in data["regions"]],
            [("华东", 2355.0)],
        )

    def test_provincial_manager_sees_the_province_only(self):
        manager = new_test_user(
            self.env,
            login="zj_dash",
            groups="dealer_portal.group_channel_user",
            dealer_territory_ids=[(6, 0, self.zhejiang.ids)],
        )
        data = self._data(manager)
        self.assertEqual(
            [row["id"] for row in data["dealers"]["top"]], [self.dealer_a.id]
        )
        self.assertEqual(data["months"]["kpis"]["ytd_net"], 1575.0)

    def test_dealers_have_no_dashboard(self):
        with self.assertRaises(AccessError):
            self._data(self.user_a)
