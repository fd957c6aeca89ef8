from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import DealerCommon


class TestDealer(DealerCommon):
    def test_a_dealer_cannot_be_its_own_ancestor(self):
        with self.assertRaisesText(ValidationError, "its own upstream"):
            self.dealer_a.dealer_parent_id = self.sub_dealer
        with self.assertRaisesText(ValidationError, "its own upstream"):
            self.dealer_b.dealer_parent_id = self.dealer_b

    def test_upstream_dealer_must_be_a_dealer(self):
        shop = self.env["res.partner"].create({"name": "普通客户", "is_company": True})
        with self.assertRaisesText(ValidationError, "is not a dealer"):
            self.dealer_b.dealer_parent_id = shop

    def test_dealer_code_is_unique_per_company(self):
        Partner = self.env["res.partner"]
        company_1 = self.env.company
        company_2 = self.env["res.company"].create({"name": "另一家公司"})

        def dealer(name, company):
            return {
                "name": name,
                "is_company": True,
                "is_dealer": True,
                "dealer_code": "TC01",
                "company_id": company.id,
            }

        Partner.create(dealer("一公司的经销商", company_1))
        twin = Partner.create(dealer("二公司的经销商", company_2))
        self.assertEqual(twin.dealer_code, "TC01")
        with self.assertRaisesText(ValidationError, "一公司的经销商"):
            Partner.create(dealer("一公司的第二家", company_1))
        # a dealer shared by all companies clashes with every company's codes
        with self.assertRaisesText(ValidationError, "TA01"):
            Partner.create({**dealer("共享经销商", company_1), "dealer_code": "TA01"})

    def test_a_dealer_needs_a_code_and_must_be_a_company(self):
        with self.assertRaisesText(ValidationError, "needs a dealer code"):
            self.env["res.partner"].create({"name": "无码", "is_dealer": True})
        contact = self.user_a.partner_id
        with self.assertRaisesText(ValidationError, "only the company"):
            contact.write({"is_dealer": True, "dealer_code": "TA99"})

    def test_customer_inside_dealer_territory(self):
        self.assertTrue(self.customer_a.in_dealer_territory)
        self.assertTrue(self.customer_b.in_dealer_territory)
        shanghai_shop = self.env["dealer.customer"].create(
            {
                "dealer_id": self.dealer_a.id,
                "name": "上海的店",
                "state_id": self.state_shanghai.id,
            }
        )
        self.assertEqual(shanghai_shop.territory_id, self.shanghai)
        self.assertFalse(shanghai_shop.in_dealer_territory)
        Partner = self.env["res.partner"]
        authorised = Partner._dealer_places_authorised(
            [
                (self.dealer_a.id, self.huzhou.id),
                (self.sub_dealer.id, self.huzhou.id),
                (self.sub_dealer.id, self.jiaxing.id),
                (self.dealer_b.id, self.jiaxing.id),
            ]
        )
        self.assertEqual(
            authorised,
            {(self.dealer_a.id, self.huzhou.id), (self.sub_dealer.id, self.huzhou.id)},
        )

    def test_customer_code_is_unique_per_dealer(self):
        Customer = self.env["dealer.customer"]
        twin = Customer.create(
            {"dealer_id": self.dealer_b.id, "code": "C-A-001", "name": "同码不同商"}
        )
        self.assertEqual(twin.display_name, "[C-A-001] 同码不同商")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Customer.create(
                {"dealer_id": self.dealer_a.id, "code": "C-A-001", "name": "重复"}
            )
            Customer.flush_model()

    def test_only_dealers_keep_customers(self):
        shop = self.env["res.partner"].create({"name": "普通客户", "is_company": True})
        with self.assertRaisesText(ValidationError, "not a dealer"):
            self.env["dealer.customer"].create({"dealer_id": shop.id, "name": "x"})

    def test_customer_count(self):
        self.assertEqual(self.dealer_a.dealer_customer_count, 1)
        action = self.dealer_a.action_view_dealer_customers()
        self.assertEqual(
            self.env["dealer.customer"].search(action["domain"]), self.customer_a
        )
