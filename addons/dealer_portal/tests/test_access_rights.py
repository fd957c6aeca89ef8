from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import DealerCommon


class TestAccessRights(DealerCommon):
    """What a dealer's portal user may do through the ORM (as JSON-RPC would)."""

    def test_dealer_sees_only_its_own_customers(self):
        Customer = self.env["dealer.customer"].with_user(self.user_a)
        self.assertEqual(Customer.search([]), self.customer_a)
        self.assertEqual(self.customer_a.with_user(self.user_a).name, "嘉兴测试超市")
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.user_a).read(["name"])
        self.assertFalse(
            Customer.search_read([("id", "=", self.customer_b.id)], ["name"])
        )

    def test_dealer_cannot_write_or_create_for_another_dealer(self):
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.user_a).write({"name": "篡改"})
        with self.assertRaises(AccessError):
            self.env["dealer.customer"].with_user(self.user_a).create(
                {"dealer_id": self.dealer_b.id, "name": "冒名"}
            )
        with self.assertRaises(AccessError):
            self.customer_a.with_user(self.user_a).write(
                {"dealer_id": self.dealer_b.id}
            )
        self.assertEqual(self.customer_b.name, "上海测试便利店")
        self.assertEqual(self.customer_a.dealer_id, self.dealer_a)

    def test_dealer_keeps_its_own_registry(self):
        Customer = self.env["dealer.customer"].with_user(self.user_a)
        customer = Customer.create({"dealer_id": self.dealer_a.id, "name": "新客户"})
        customer.write({"city": "嘉兴市", "state_id": self.state_zhejiang.id})
        self.assertEqual(customer.territory_id, self.jiaxing)
        with self.assertRaises(AccessError):
            customer.unlink()
        customer.action_archive()
        self.assertFalse(customer.active)

    def test_dealer_cannot_link_a_customer_to_a_dealer_account(self):
        customer = self.customer_a.with_user(self.user_a)
        with self.assertRaises(AccessError):
            customer.read(["partner_id"])
        with self.assertRaises(AccessError):
            customer.write({"partner_id": self.dealer_b.id})

    def test_dealer_cannot_read_or_change_partners(self):
        with self.assertRaises(AccessError):
            self.dealer_b.with_user(self.user_a).read(["name", "dealer_code"])
        own = self.dealer_a.with_user(self.user_a)
        self.assertEqual(own.dealer_code, "TA01")
        with self.assertRaises(AccessError):
            own.write({"dealer_code": "TB01"})
        with self.assertRaises(AccessError):
            own.write({"dealer_territory_ids": [(4, self.shanghai.id)]})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_a).create(
                {"name": "假经销商", "is_dealer": True, "dealer_code": "FAKE"}
            )

    def test_territories_are_readable_not_writable(self):
        territory = self.zhejiang.with_user(self.user_a)
        self.assertEqual(territory.complete_name, "中国 / 华东 / 浙江省")
        with self.assertRaises(AccessError):
            territory.write({"name": "我的浙江"})

    def test_channel_staff_see_every_dealer_in_their_companies(self):
        staff = new_test_user(
            self.env, login="channel_staff", groups="dealer_portal.group_channel_user"
        )
        Customer = self.env["dealer.customer"].with_user(staff)
        self.assertIn(self.customer_b, Customer.search([]))
        Customer.browse(self.customer_b.id).write({"phone": "021-1234 5678"})
        with self.assertRaises(AccessError):
            Customer.browse(self.customer_b.id).unlink()
        with self.assertRaises(AccessError):
            self.zhejiang.with_user(staff).write({"name": "我的浙江"})

        other_company = self.env["res.company"].create({"name": "另一家公司"})
        hidden = self.env["dealer.customer"].create(
            {
                "dealer_id": self.dealer_b.id,
                "name": "别家",
                "company_id": other_company.id,
            }
        )
        self.assertNotIn(hidden, Customer.search([]))
