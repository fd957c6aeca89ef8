from odoo.exceptions import UserError, ValidationError

from .common import DealerCommon


class TestTerritory(DealerCommon):
    def test_complete_name_follows_the_tree(self):
        self.assertEqual(self.jiaxing.complete_name, "中国 / 华东 / 浙江省 / 嘉兴市")
        self.assertEqual(self.jiaxing.state_id, self.state_zhejiang)
        self.assertEqual(self.jiaxing.city, "嘉兴市")

    def test_hangzhou_is_inside_zhejiang_not_shanghai(self):
        Territory = self.env["dealer.territory"]
        hangzhou = Territory.search(
            [("level", "=", "city"), ("city", "=", "杭州市")]
        ) or Territory.create(
            {"name": "杭州市", "level": "city", "parent_id": self.zhejiang.id}
        )
        customer = self.env["dealer.customer"].create(
            {
                "dealer_id": self.dealer_a.id,
                "name": "杭州测试客户",
                "state_id": self.state_zhejiang.id,
                "city": "杭州市",
            }
        )
        self.assertEqual(customer.territory_id, hangzhou)
        inside = Territory._pairs_inside(
            [(hangzhou.id, self.zhejiang.id), (hangzhou.id, self.shanghai.id)]
        )
        self.assertEqual(inside, {(hangzhou.id, self.zhejiang.id)})

    def test_pairs_inside_costs_one_query_for_many_places(self):
        pairs = [
            (self.jiaxing.id, self.zhejiang.id),
            (self.huzhou.id, self.shanghai.id),
        ]
        many = pairs * 500 + [(self.zhejiang.id, self.jiaxing.id)]
        self.env["dealer.territory"].flush_model()
        with self.assertQueryCount(1):
            inside = self.env["dealer.territory"]._pairs_inside(many)
        # a province is not inside one of its cities
        self.assertEqual(inside, {(self.jiaxing.id, self.zhejiang.id)})

    def test_locate_by_province_and_city(self):
        Territory = self.env["dealer.territory"]
        zj = self.state_zhejiang.id
        located = Territory._locate(
            [
                (zj, "嘉兴"),
                (zj, " 湖州市 "),
                (zj, "无名市"),
                (zj, ""),
                (False, "嘉兴市"),
            ]
        )
        self.assertEqual(located[(zj, "嘉兴")], self.jiaxing.id)
        self.assertEqual(located[(zj, " 湖州市 ")], self.huzhou.id)
        self.assertEqual(located[(zj, "无名市")], self.zhejiang.id)
        self.assertEqual(located[(zj, "")], self.zhejiang.id)
        self.assertFalse(located[(False, "嘉兴市")])

    def test_district_inherits_its_city(self):
        district = self.env["dealer.territory"].create(
            {"name": "南湖区", "level": "district", "parent_id": self.jiaxing.id}
        )
        self.assertEqual(district.city, "嘉兴市")
        self.assertEqual(district.state_id, self.state_zhejiang)
        located = self.env["dealer.territory"]._locate(
            [(self.state_zhejiang.id, "嘉兴市")]
        )
        self.assertEqual(located[(self.state_zhejiang.id, "嘉兴市")], self.jiaxing.id)

    def test_a_territory_cannot_lie_inside_itself(self):
        district = self.env["dealer.territory"].create(
            {"name": "南湖区", "level": "district", "parent_id": self.jiaxing.id}
        )
        with self.assertRaises(UserError):
            self.jiaxing.parent_id = district

    def test_a_province_cannot_lie_inside_a_city(self):
        with self.assertRaisesText(ValidationError, "finer level"):
            self.env["dealer.territory"].create(
                {"name": "某省", "level": "province", "parent_id": self.jiaxing.id}
            )

    def test_one_territory_per_city(self):
        with self.assertRaisesText(ValidationError, "same place"):
            self.env["dealer.territory"].create(
                {
                    "name": "嘉兴",
                    "city": "嘉兴市",
                    "level": "city",
                    "parent_id": self.zhejiang.id,
                }
            )
