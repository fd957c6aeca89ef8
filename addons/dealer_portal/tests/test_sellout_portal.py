import json
import re

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import DealerCommon

CSV = (
    "日期,产品编码,数量,单价,客户编码,批号,单据号\n"
    "2026-10-05,T-TEA,5,38,C-A-001,LOT-T1,JH-1\n"
    "2026-10-06,T-TEA,2,38,C-A-001,LOT-T1,JH-2\n"
).encode("gbk")


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27")
class TestSelloutPortal(DealerCommon, HttpCase):
    """Sell-out, stock and product-code pages and the API, route by route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.dealer_a, cls.product_tea, 100, "LOT-T1")
        cls.batch_a = cls.env["dealer.sellout.batch"]._upload(
            cls.dealer_a, "a.csv", CSV
        )
        cls.line_a = cls.batch_a.line_ids[0]
        cls.batch_b = cls.env["dealer.sellout.batch"]._from_rows(
            cls.dealer_b,
            "form",
            [
                {
                    "date": "2026-10-05",
                    "product_code": "T-TEA",
                    "quantity": "1",
                    "customer_code": "C-B-001",
                    "doc_ref": "SECRET-B",
                }
            ],
        )
        cls.line_b = cls.batch_b.line_ids
        cls.code_b = cls.env["dealer.product.code"].create(
            {
                "dealer_id": cls.dealer_b.id,
                "code": "B-OWN",
                "product_id": cls.product_tea.id,
            }
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=self._token)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _login(self, login):
        self.authenticate(login, login)
        page = self._get("/my/dealer/sellout/new")
        self._token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(
            1
        )

    def assertRedirects(self, response, path):
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertTrue(
            response.headers["Location"].endswith(path), response.headers["Location"]
        )

    def test_own_pages(self):
        self._login("dealer_a")
        for url in (
            "/my/dealer/sellout",
            "/my/dealer/sellout/new",
            f"/my/dealer/sellout/{self.batch_a.id}",
            f"/my/dealer/sellout/{self.batch_a.id}?show=problems",
            f"/my/dealer/sellout/{self.batch_a.id}/line/{self.line_a.id}",
            "/my/dealer/inventory",
            f"/my/dealer/inventory/ledger?product_id={self.product_tea.id}",
            "/my/dealer/codes",
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("SECRET-B", response.text)
                self.assertNotIn("B-OWN", response.text)
        page = self._get(f"/my/dealer/sellout/{self.batch_a.id}").text
        self.assertIn("JH-2", page)
        self.assertIn("测试绿茶", page)
        self.assertIn(">100<", self._get("/my/dealer/inventory").text.replace(" ", ""))

    def test_another_dealers_records_are_out_of_reach(self):
        self._login("dealer_a")
        batch, line = self.batch_b, self.line_b
        for url in (
            f"/my/dealer/sellout/{batch.id}",
            f"/my/dealer/sellout/{batch.id}/page/2",
            f"/my/dealer/sellout/{batch.id}/line/{line.id}",
            f"/my/dealer/sellout/{self.batch_a.id}/line/{line.id}",
            "/my/dealer/sellout/999999999",
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertRedirects(response, "/my")
                self.assertNotIn("SECRET-B", response.text)
        for url in (
            f"/my/dealer/sellout/{batch.id}/submit",
            f"/my/dealer/sellout/{batch.id}/cancel",
            f"/my/dealer/sellout/{batch.id}/line/{line.id}",
            f"/my/dealer/sellout/{batch.id}/line/{line.id}/drop",
            f"/my/dealer/sellout/{self.batch_a.id}/line/{line.id}/drop",
            f"/my/dealer/codes/{self.code_b.id}/delete",
            f"/my/dealer/inventory/transfer/{line.id}/confirm",
        ):
            with self.subTest(url=url):
                self.assertRedirects(self._post(url, {"quantity": "999"}), "/my")
        self.assertEqual((batch.state, line.quantity), ("draft", 1))
        self.assertTrue(self.code_b.exists())
        ledger = self._get(
            f"/my/dealer/inventory/ledger?product_id={self.product_tea.id}"
        )
        self.assertNotIn("SECRET-B", ledger.text)

    def test_anonymous_and_non_dealer_users(self):
        for url in (
            "/my/dealer/sellout",
            f"/my/dealer/sellout/{self.batch_a.id}",
            "/my/dealer/sellout/template.xlsx",
            "/my/dealer/inventory",
            "/my/dealer/codes",
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_upload_preview_submit(self):
        self._login("dealer_b")
        response = self._post(
            "/my/dealer/sellout/upload",
            files={
                "file": (
                    "我的流向.csv",
                    CSV.replace(b"C-A-001", b"C-B-001"),
                    "text/csv",
                )
            },
        )
        batch = self.env["dealer.sellout.batch"].search(
            [("dealer_id", "=", self.dealer_b.id), ("source", "=", "file")]
        )
        self.assertRedirects(response, f"/my/dealer/sellout/{batch.id}")
        self.assertEqual(batch.line_count, 2)
        preview = self._get(f"/my/dealer/sellout/{batch.id}").text
        # dealer B never received LOT-T1: the preview says so before submitting,
        # without telling which dealer did
        self.assertIn("LOT-T1", preview)
        self.assertIn("shipped to another dealer", preview)
        self.assertNotIn(self.dealer_a.name, preview)
        self.assertRedirects(
            self._post(f"/my/dealer/sellout/{batch.id}/submit"),
            f"/my/dealer/sellout/{batch.id}",
        )
        self.assertEqual(batch.state, "submitted")
        self.assertEqual(set(batch.line_ids.mapped("state")), {"review"})

    def test_unreadable_upload_says_why(self):
        self._login("dealer_a")
        response = self._post(
            "/my/dealer/sellout/upload",
            files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("No header row found", response.text)
        response = self._post("/my/dealer/sellout/upload")
        self.assertEqual(response.status_code, 400)

    def test_form_entry_and_correction(self):
        self._login("dealer_a")
        response = self._post(
            "/my/dealer/sellout/new",
            {
                "row-0-date": "2026-10-20",
                "row-0-product_code": "T-TEA",
                "row-0-quantity": "three",
                "row-0-unit_price": "38",
                "row-0-customer": "C-A-001",
            },
        )
        batch = self.env["dealer.sellout.batch"].search(
            [("dealer_id", "=", self.dealer_a.id), ("source", "=", "form")]
        )
        self.assertRedirects(response, f"/my/dealer/sellout/{batch.id}")
        line = batch.line_ids
        self.assertIn("three", line.error_message)
        self.assertRedirects(
            self._post(
                f"/my/dealer/sellout/{batch.id}/line/{line.id}",
                {**line._form_values(), "quantity": "3"},
            ),
            f"/my/dealer/sellout/{batch.id}?show=problems",
        )
        self.assertFalse(line.error_message)
        self.assertEqual(line.quantity, 3)

    def test_stock_count(self):
        self._login("dealer_a")
        lot = self.env["stock.lot"].search([("name", "=", "LOT-T1")])
        page = self._get("/my/dealer/inventory/count")
        self.assertEqual(page.status_code, 200)
        field = f"count-{self.product_tea.id}-{lot.id}"
        self.assertIn(field, page.text)
        response = self._post("/my/dealer/inventory/count", {field: "90"})
        stocktake = self.env["dealer.stocktake"].search(
            [("dealer_id", "=", self.dealer_a.id)]
        )
        self.assertRedirects(response, f"/my/dealer/inventory?counted={stocktake.id}")
        self.assertTrue(stocktake.needs_reconciliation)
        # another dealer's product id in a forged form is refused
        forged = self._post("/my/dealer/inventory/count", {"count-999999-0": "5"})
        self.assertEqual(forged.status_code, 200)
        self.assertEqual(
            self.env["dealer.stocktake"].search_count(
                [("dealer_id", "=", self.dealer_a.id)]
            ),
            1,
        )

    def test_template_download(self):
        self._login("dealer_a")
        response = self._get("/my/dealer/sellout/template.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn("spreadsheetml", response.headers["Content-Type"])

    def test_product_codes(self):
        self._login("dealer_a")
        self.assertRedirects(
            self._post(
                "/my/dealer/codes",
                {"code": "MY-TEA", "product_id": str(self.product_tea.id)},
            ),
            "/my/dealer/codes",
        )
        code = self.env["dealer.product.code"].search([("code", "=", "MY-TEA")])
        self.assertEqual(code.dealer_id, self.dealer_a)
        # dealer B may not sell energy drinks: it cannot map a code to one
        self._login("dealer_b")
        response = self._post(
            "/my/dealer/codes", {"code": "X", "product_id": str(self.product_energy.id)}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.env["dealer.product.code"].search([("code", "=", "X")]))

    def test_sub_dealer_confirms_its_inbound(self):
        customer = self.env["dealer.customer"].create(
            {
                "dealer_id": self.dealer_a.id,
                "code": "C-A-SUB",
                "name": "湖州测试分销",
                "partner_id": self.sub_dealer.id,
            }
        )
        batch = self.env["dealer.sellout.batch"]._from_rows(
            self.dealer_a,
            "form",
            [
                {
                    "date": "2026-10-08",
                    "product_code": "T-TEA",
                    "quantity": "7",
                    "unit_price": "36",
                    "customer_code": customer.code,
                    "lot": "LOT-T1",
                }
            ],
        )
        batch.action_submit()
        line = batch.line_ids
        self.env["res.users"].create(
            {
                "name": "分销员",
                "login": "dealer_sub",
                "password": "dealer_sub",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
                "partner_id": self.env["res.partner"]
                .create({"name": "分销员", "parent_id": self.sub_dealer.id})
                .id,
            }
        )
        # the upstream dealer cannot confirm its own sale for the sub-dealer
        self._login("dealer_a")
        self.assertRedirects(
            self._post(f"/my/dealer/inventory/transfer/{line.id}/confirm"), "/my"
        )
        self._login("dealer_sub")
        self.assertIn("浙江测试商贸", self._get("/my/dealer/inventory").text)
        self.assertRedirects(
            self._post(f"/my/dealer/inventory/transfer/{line.id}/confirm"),
            "/my/dealer/inventory",
        )
        self.assertEqual(line.transfer_state, "confirmed")
        stock = self.env["dealer.stock.daily"]._stock_on_hand(
            self.sub_dealer, by_lot=False
        )
        self.assertEqual(stock[(self.product_tea.id, False)], 7)

    def test_tour_dealer_reports_sales_by_hand(self):
        self.start_tour("/my/dealer", "dealer_portal_sellout_tour", login="dealer_a")
        batch = self.env["dealer.sellout.batch"].search(
            [("dealer_id", "=", self.dealer_a.id), ("source", "=", "form")]
        )
        self.assertEqual(batch.state, "done")
        new = self.env["dealer.customer"].search([("name", "=", "南湖新店")])
        self.assertEqual(
            (new.dealer_id, new.territory_id), (self.dealer_a, self.jiaxing)
        )

    def test_batch_page_costs_the_same_for_more_lines(self):
        self._login("dealer_a")
        url = f"/my/dealer/sellout/{self.batch_a.id}"
        self._get(url)

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self._get(url).status_code, 200)
            return self.cr.sql_log_count - before

        few = queries()
        rows = [
            (
                n,
                {
                    "date": "2026-10-07",
                    "product_code": "T-TEA",
                    "quantity": "1",
                    "unit_price": "38",
                    "customer_code": "C-A-001",
                    "doc_ref": f"X{n}",
                },
            )
            for n in range(10, 70)
        ]
        self.batch_a._loader().load(rows)
        self.batch_a._check_lines()
        self.assertEqual(queries(), few)

    # -- API ------------------------------------------------------------------

    def _api(self, body, key=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.authenticate(None, None)
        return self.url_open(
            "/api/dealer/v1/sellout",
            data=raw if raw is not None else json.dumps(body),
            headers=headers,
            allow_redirects=False,
        )

    def _key(self, user):
        # A key that never expires (which takes sudo): the class stops Python's
        # clock on a date, and PostgreSQL checks the expiry against its own.
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "ERP", None)
        )

    def test_api(self):
        key = self._key(self.user_a)
        body = {
            "client_ref": "ERP-2610",
            "lines": [
                {
                    "date": "2026年10月5日",
                    "product_code": "T-TEA",
                    "qty": 3,
                    "unit_price": "¥38.00",
                    "customer_code": "C-A-001",
                    "lot": "LOT-T1",
                    "doc_ref": "API-1",
                },
                {
                    "date": "2026-10-05",
                    "product_code": "NOPE",
                    "qty": "x",
                    "customer_code": "C-A-001",
                },
            ],
        }
        response = self._api(body, key)
        self.assertEqual(response.status_code, 201, response.text)
        result = response.json()
        self.assertEqual(result["batch"]["lines"], 2)
        errors = result["lines"][0]["errors"]
        self.assertEqual(errors, [{"column": "qty", "message": "x is not a quantity."}])
        # the same reference again: the same batch, not a second one
        again = self._api(body, key)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["batch"]["id"], result["batch"]["id"])

        # submitting a batch with an unreadable line keeps nothing
        refused = self._api({**body, "client_ref": "ERP-2611", "submit": True}, key)
        self.assertEqual(refused.status_code, 422)
        self.assertFalse(
            self.env["dealer.sellout.batch"].search([("client_ref", "=", "ERP-2611")])
        )
        accepted = self._api(
            {"client_ref": "ERP-2612", "submit": True, "lines": body["lines"][:1]}, key
        )
        self.assertEqual(accepted.status_code, 201, accepted.text)
        self.assertEqual(accepted.json()["batch"]["state"], "done")
        # counted after posting, not before
        self.assertEqual(accepted.json()["batch"]["posted"], 1)
        batch = self.env["dealer.sellout.batch"].search(
            [("client_ref", "=", "ERP-2612")]
        )
        self.assertIn("1 line(s) posted", batch.message_ids[0].body)

    @mute_logger("odoo.http")
    def test_api_refuses_bad_keys_and_bad_bodies(self):
        body = {"lines": [{"date": "2026-10-05"}]}
        self.assertEqual(self._api(body).status_code, 401)
        self.assertEqual(self._api(body, "not-a-key").status_code, 401)
        key = self._key(self.user_a)
        self.assertEqual(self._api(None, key, raw="{not json").status_code, 400)
        self.assertEqual(self._api({"lines": "x"}, key).status_code, 400)
        staff_key = self._key(self.env.ref("base.user_admin"))
        self.assertEqual(self._api(body, staff_key).status_code, 403)

    def test_api_never_hands_out_another_dealers_batch(self):
        self.batch_b.client_ref = "SHARED-REF"
        response = self._api(
            {
                "client_ref": "SHARED-REF",
                "lines": [
                    {
                        "date": "2026-10-05",
                        "product_code": "T-TEA",
                        "qty": 1,
                        "unit_price": 38,
                        "customer_code": "C-A-001",
                    }
                ],
            },
            self._key(self.user_a),
        )
        self.assertEqual(response.status_code, 201)
        self.assertNotEqual(response.json()["batch"]["id"], self.batch_b.id)
        self.assertNotIn("SECRET-B", response.text)
