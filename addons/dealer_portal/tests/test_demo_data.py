from datetime import date

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database is the world the sample sell-out files assume."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("dealer_portal.dealer_d002", raise_if_not_found=False):
            cls.skipTest(cls, "demo data is not installed")

    def _dealer(self, code):
        return self.env["res.partner"].search([("dealer_code", "=", code)])

    def test_manufacturer(self):
        self.assertEqual(self.env.ref("base.main_company").name, "青山饮料有限公司")

    def test_products(self):
        expected = {
            "QS-GT500": ("绿茶 500ml×24", "茶饮料", 35.0),
            "QS-GT1L": ("绿茶 1L×12", "茶饮料", 40.0),
            "QS-JC330": ("橙汁 330ml×24", "果汁", 48.0),
            "QS-MW550": ("矿泉水 550ml×24", "饮用水", 18.0),
            "QS-EN250": ("能量饮料 250ml×24", "功能饮料", 90.0),
        }
        for code, (name, category, floor) in expected.items():
            product = self.env["product.product"].search([("default_code", "=", code)])
            self.assertEqual(len(product), 1, code)
            self.assertEqual(product.name, name)
            self.assertEqual(product.categ_id.name, category)
            self.assertEqual(product.channel_floor_price, floor)
            self.assertEqual(product.tracking, "lot")

    def test_dealers(self):
        expected = {
            "D001": ("上海恒通商贸有限公司", "distributor", "", "上海市"),
            "D002": ("杭州嘉禾贸易有限公司", "distributor", "", "浙江省"),
            "D101": ("宁波百顺商贸有限公司", "sub_distributor", "D002", "宁波市"),
            "D003": ("广州粤新食品有限公司", "distributor", "", "广东省"),
        }
        for code, (name, level, parent, territory) in expected.items():
            dealer = self._dealer(code)
            self.assertEqual(dealer.name, name)
            self.assertEqual(dealer.dealer_level, level)
            self.assertEqual(dealer.dealer_parent_id.dealer_code or "", parent)
            self.assertEqual(dealer.dealer_territory_ids.mapped("name"), [territory])
        categories = self._dealer("D003").dealer_category_ids
        self.assertEqual(
            sorted(categories.mapped("name")), ["果汁", "茶饮料", "饮用水"]
        )
        for code in ("D001", "D002", "D101"):
            energy = self.env.ref("dealer_portal.product_category_energy")
            authorised = self.env["product.category"].search(
                [("id", "child_of", self._dealer(code).dealer_category_ids.ids)]
            )
            self.assertIn(energy, authorised, code)
        self.assertGreaterEqual(
            self.env["res.partner"].search_count([("is_dealer", "=", True)]), 10
        )

    def test_september_deliveries(self):
        moves = self.env["stock.move.line"].search(
            [
                ("picking_id.partner_id.is_dealer", "=", True),
                ("state", "=", "done"),
                ("picking_code", "=", "outgoing"),
            ]
        )
        delivered = {
            (
                line.picking_id.partner_id.dealer_code,
                line.product_id.default_code,
                line.lot_id.name,
            ): line.quantity
            for line in moves
        }
        self.assertEqual(
            delivered,
            {
                ("D002", "QS-GT500", "LOT2609A"): 100,
                ("D002", "QS-GT1L", "LOT2609B"): 50,
                ("D002", "QS-JC330", "LOT2609C"): 60,
                ("D002", "QS-MW550", "LOT2609M"): 200,
                ("D002", "QS-EN250", "LOT2609E"): 40,
                ("D001", "QS-GT500", "LOT2609G"): 80,
            },
        )
        for picking in moves.picking_id:
            self.assertEqual(picking.state, "done")
            self.assertEqual(
                (picking.date_done.year, picking.date_done.month), (2026, 9)
            )
            self.assertLess(picking.date_done.date(), date(2026, 10, 1))

    def test_d002_customers(self):
        customers = self._dealer("D002").dealer_customer_ids
        self.assertEqual(
            {(c.code, c.name, c.customer_type, c.city) for c in customers},
            {
                ("C-HZ-001", "杭州联华超市(文三路店)", "terminal", "杭州市"),
                ("C-HZ-002", "西湖便利店", "terminal", "杭州市"),
                ("C-HZ-003", "滨江大润发", "terminal", "杭州市"),
                ("C-NB-001", "宁波百顺商贸", "sub_distributor", "宁波市"),
            },
        )
        ningbo = customers.filtered(lambda c: c.code == "C-NB-001")
        self.assertEqual(ningbo.partner_id, self._dealer("D101"))
        self.assertTrue(all(customers.mapped("in_dealer_territory")))

    def test_portal_logins(self):
        for login, code in [
            ("d001", "D001"),
            ("d002", "D002"),
            ("d101", "D101"),
            ("d003", "D003"),
        ]:
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user._is_portal(), login)
            self.assertEqual(user.commercial_partner_id, self._dealer(code))
        manager = self.env["res.users"].search([("login", "=", "manager")])
        self.assertTrue(manager.has_group("dealer_portal.group_channel_manager"))
