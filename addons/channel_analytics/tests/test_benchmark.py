from odoo.fields import Command
from odoo.tests import freeze_time

from odoo.addons.dealer_portal.tests.common import DealerCommon

PERIOD = "2026-10-01"


@freeze_time("2026-11-27")
class TestBenchmark(DealerCommon):
    """Regional medians beside a dealer's own figures, never from fewer than
    three other dealers, never naming one.

    Dealers A (浙江) and B (上海) are both in 华东. Their grades are written
    by hand here: the benchmark reads grades, however they were computed.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo's grades are not this channel's
        cls.env["dealer.grade"].search([]).unlink()
        cls.east = cls.env.ref("dealer_portal.territory_east")
        cls.jiangsu = cls.env.ref("dealer_portal.territory_jiangsu")
        cls.grade_a = cls._grade_by_hand(cls.dealer_a, 10.0, 40.0, 90.0)
        cls.grade_b = cls._grade_by_hand(cls.dealer_b, 30.0, 80.0, 70.0)

    @classmethod
    def _grade_by_hand(cls, dealer, growth, sell_through, compliance, region=None):
        values = {"growth": growth, "sell_through": sell_through}
        values["compliance"] = compliance
        return cls.env["dealer.grade"].create(
            {
                "dealer_id": dealer.id,
                "period": PERIOD,
                "date_from": "2025-11-01",
                "date_to": "2026-10-31",
                "region_id": (region or cls.east).id,
                "score": 60.0,
                "computed_grade": "C",
                "is_current": True,
                "line_ids": [
                    Command.create(
                        {
                            "metric": metric,
                            "value": value,
                            "has_value": value is not None,
                            "points": 50.0,
                        }
                    )
                    for metric, value in values.items()
                ],
            }
        )

    def _peers(self, count, region=None):
        dealers = self.env["res.partner"].create(
            [
                {
                    "name": f"江苏同行 {index}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_code": f"TJS{index}",
                    "dealer_territory_ids": [Command.set(self.jiangsu.ids)],
                }
                for index in range(count)
            ]
        )
        for index, dealer in enumerate(dealers):
            self._grade_by_hand(
                dealer, 100.0 + index, 10.0 * (index + 1), 50.0, region=region
            )
        return dealers

    def _page(self):
        values = self.dealer_a.with_user(self.user_a)._dealer_grading_portal_values()
        html = str(
            self.env["ir.qweb"]
            .with_user(self.user_a)
            ._render("channel_analytics.portal_dealer_benchmarks", values)
        )
        return values["dealer_benchmarks"], html

    def test_region_of_two_dealers_shows_no_median(self):
        benchmarks, html = self._page()
        self.assertEqual(
            [(b["metric"], b["own"], b["median"]) for b in benchmarks],
            [
                ("growth", 10.0, None),
                ("sell_through", 40.0, None),
                ("compliance", 90.0, None),
            ],
        )
        self.assertIn("Too few dealers in your region", html)
        self.assertNotIn("30.0", html)  # B's growth
        self.assertNotIn("80.0", html)  # B's sell-through
        self.assertNotIn("70.0", html)  # B's compliance
        self.assertNotIn("上海测试商贸", html)

    def test_three_dealers_of_other_regions_do_not_count(self):
        self._peers(3, region=self.env.ref("dealer_portal.territory_south"))
        benchmarks, _html = self._page()
        self.assertEqual({b["median"] for b in benchmarks}, {None})

    def test_median_of_three_other_dealers_or_more(self):
        self._peers(2)  # with B: three others
        benchmarks, html = self._page()
        by_metric = {b["metric"]: b for b in benchmarks}
        # growth: B 30, peers 100 and 101
        self.assertEqual(by_metric["growth"]["median"], 100.0)
        self.assertEqual(by_metric["growth"]["peers"], 3)
        # sell-through: B 80, peers 10 and 20
        self.assertEqual(by_metric["sell_through"]["median"], 20.0)
        # compliance: B 70, peers 50 and 50
        self.assertEqual(by_metric["compliance"]["median"], 50.0)
        self.assertIn("Region median", html)
        self.assertNotIn("江苏同行", html)
        self.assertNotIn("上海测试商贸", html)

    def test_a_metric_without_value_is_not_counted(self):
        self._peers(2)
        self.grade_b.line_ids.filtered(lambda line: line.metric == "growth").write(
            {"has_value": False, "value": 0.0}
        )
        by_metric = {b["metric"]: b for b in self._page()[0]}
        self.assertIsNone(by_metric["growth"]["median"])  # two others only
        self.assertEqual(by_metric["compliance"]["peers"], 3)

    def test_region_follows_the_dealers_territory(self):
        regions = self.env["dealer.grade"]._grade_regions(
            (self.dealer_a | self.dealer_b | self.sub_dealer).ids
        )
        self.assertEqual(
            regions,
            {
                self.dealer_a.id: self.east.id,
                self.dealer_b.id: self.east.id,
                self.sub_dealer.id: self.east.id,
            },
        )

    def test_without_regions_the_top_of_the_tree_is_the_region(self):
        Territory = self.env["dealer.territory"]
        country = Territory.create({"name": "测试国", "level": "country"})
        province = Territory.create(
            {"name": "测试省", "level": "province", "parent_id": country.id}
        )
        self.dealer_b.dealer_territory_ids = province
        regions = self.env["dealer.grade"]._grade_regions(self.dealer_b.ids)
        self.assertEqual(regions, {self.dealer_b.id: country.id})
