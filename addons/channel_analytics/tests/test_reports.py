from datetime import date

from odoo.tests import TransactionCase, freeze_time, new_test_user

from .common import AnalyticsCommon


@freeze_time("2026-11-27")
class TestReports(AnalyticsCommon):
    """Figures of the analysis reports, checked by hand against the trade of
    the common world."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealers = cls.dealer_a | cls.dealer_b | cls.sub_dealer
        cls.east = cls.env.ref("dealer_portal.territory_east")

    def _flows(self, groupby, model="channel.flow.report"):
        rows = self.env[model]._read_group(
            [("dealer_id", "in", self.dealers.ids)],
            groupby,
            ["net_amount:sum", "sellin_amount:sum"],
        )
        return {tuple(row[:-2]): row[-2:] for row in rows}

    def test_sellout_by_region_province_and_month(self):
        by_province = self._flows(["province_id", "date:month"])
        self.assertEqual(
            {
                (province.name, month.strftime("%Y-%m")): net
                for (province, month), (net, _sellin) in by_province.items()
                if net
            },
            {
                ("浙江省", "2026-09"): 380.0,
                ("浙江省", "2026-10"): 1195.0,  # 800 + 475 - 80
                ("上海市", "2026-09"): 312.0,
                ("上海市", "2026-10"): 468.0,
            },
        )
        by_region = self._flows(["region_id", "date:month"])
        self.assertEqual(
            {
                (region, month.strftime("%Y-%m")): net
                for (region, month), (net, _sellin) in by_region.items()
                if net
            },
            {(self.east, "2026-09"): 692.0, (self.east, "2026-10"): 1663.0},
        )
        # sell-in at list price: (200 × 30 + 100 × 78) in August for dealer A
        by_dealer = self._flows(["dealer_id", "date:month"])
        august = by_dealer[(self.dealer_a, date(2026, 8, 1))]
        self.assertEqual(august[1], 13800.0)

    def test_days_of_inventory(self):
        rows = self.env["channel.inventory.report"].search(
            [("dealer_id", "in", self.dealers.ids)]
        )
        self.assertEqual(
            {
                (row.dealer_id, row.product_id): (
                    row.stock_qty,
                    row.sold_qty,
                    round(row.days_of_inventory, 1),
                )
                for row in rows
            },
            {
                # 172 in stock, 28 sold net in the 90 days to 2026-11-27
                (self.dealer_a, self.product_tea): (172.0, 28.0, 552.9),
                (self.dealer_a, self.product_energy): (95.0, 5.0, 1710.0),
                (self.dealer_b, self.product_tea): (80.0, 20.0, 360.0),
            },
        )
        self.company.channel_cover_days = 45
        self.env["channel.inventory.report"].invalidate_model()
        row = self.env["channel.inventory.report"].search(
            [("dealer_id", "=", self.dealer_b.id)]
        )
        # only the 12 sold on 2026-10-20 fall in the last 45 days: 80 / (12 / 45)
        self.assertEqual((row.sold_qty, row.days_of_inventory), (12.0, 300.0))

    def test_provincial_manager_sees_only_the_province(self):
        manager = new_test_user(
            self.env,
            login="zj_manager",
            groups="dealer_portal.group_channel_user",
            dealer_territory_ids=[(6, 0, self.zhejiang.ids)],
        )
        for model in (
            "channel.flow.report",
            "channel.flow.daily",
            "channel.flow.monthly",
            "channel.flow.category",
            "channel.inventory.report",
        ):
            dealers = (
                self.env[model]
                .with_user(manager)
                .search([("dealer_id", "in", self.dealers.ids)])
                .dealer_id
            )
            self.assertEqual(dealers, self.dealer_a, model)
        everyone = new_test_user(
            self.env, login="hq_analyst", groups="dealer_portal.group_channel_user"
        )
        dealers = (
            self.env["channel.flow.report"]
            .with_user(everyone)
            .search([("dealer_id", "in", self.dealers.ids)])
            .dealer_id
        )
        self.assertEqual(dealers, self.dealer_a | self.dealer_b)


@freeze_time("2026-11-27")
class TestDemoTerritoryScope(TransactionCase):
    """On the demo channel: a provincial manager of 浙江省 reads the figures of
    D002 (Hangzhou) and its sub-dealer D101 (Ningbo), not those of D001
    (上海市)."""

    def test_zhejiang_manager(self):
        dealers = {
            code: self.env.ref(f"dealer_portal.dealer_{code.lower()}")
            for code in ("D001", "D002", "D101")
        }
        product = self.env["product.product"].search(
            [("default_code", "=", "QS-GT500")]
        )
        self.env["dealer.stock.move"].create(
            [
                {
                    "dealer_id": dealer.id,
                    "date": "2026-11-02",
                    "kind": "receipt",
                    "product_id": product.id,
                    "quantity": 10,
                    "reference": "TEST",
                }
                for dealer in dealers.values()
            ]
        )
        manager = new_test_user(
            self.env,
            login="demo_zj_manager",
            groups="dealer_portal.group_channel_user",
            dealer_territory_ids=[
                (6, 0, self.env.ref("dealer_portal.territory_zhejiang").ids)
            ],
        )
        for model in (
            "channel.flow.report",
            "channel.flow.monthly",
            "channel.inventory.report",
        ):
            seen = (
                self.env[model]
                .with_user(manager)
                .search([("dealer_id", "in", [d.id for d in dealers.values()])])
                .dealer_id
            )
            self.assertEqual(
                sorted(seen.mapped("dealer_code")), ["D002", "D101"], model
            )
