import json
import re

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PDF_BYTES, ExpenseCommon, photo


@tagged("post_install", "-at_install")
class TestPortal(ExpenseCommon, HttpCase):
    """The dealer's fund and claim pages, request by request, never following
    redirects."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim_a = cls._claim(1000)
        cls.proof_a = cls._attach(cls.claim_a, photo("green"), "a.jpg")
        cls.claim_a.action_submit()
        cls.claim_b = cls._claim(500, dealer=cls.dealer_b, fund=cls.fund_b)
        cls.proof_b = cls._attach(cls.claim_b, photo("blue"), "b.jpg")
        cls.claim_b.action_submit()
        cls.claim_sub = cls._claim(300, dealer=cls.sub_dealer, fund=cls.fund_zhejiang)
        cls.proof_sub = cls._attach(cls.claim_sub, PDF_BYTES, "sub.pdf")
        cls.claim_sub.action_submit()

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data, files=None):
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _csrf_token(self, url="/my/dealer/claims/new"):
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def assertRedirects(self, response, path):
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(path),
            f"{response.headers['Location']} does not end with {path}",
        )

    def _new_claim_form(self, token, **values):
        return {
            "csrf_token": token,
            "fund_id": str(self.fund_a.id),
            "expense_type_id": str(self.type_promotion.id),
            "date_from": "2026-10-20",
            "date_to": "2026-10-22",
            "requested_amount": "1,200.50",
            "payment_method": "credit_note",
            "description": "门店促销",
            **values,
        }

    # -- who gets in ------------------------------------------------------------

    def test_anonymous_visitors_are_sent_to_login(self):
        for url in [
            "/my/dealer/funds",
            f"/my/dealer/funds/{self.fund_a.id}",
            "/my/dealer/claims",
            "/my/dealer/claims/new",
            f"/my/dealer/claims/{self.claim_a.id}",
            f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}",
        ]:
            response = self._get(url)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])

    def test_portal_users_who_are_not_dealers_are_sent_home(self):
        shop = self.env["res.partner"].create({"name": "普通客户", "is_company": True})
        contact = self.env["res.partner"].create({"name": "店员", "parent_id": shop.id})
        new_test_user(
            self.env,
            login="shop_user",
            groups="base.group_portal",
            partner_id=contact.id,
            password="shop_user",
        )
        self.authenticate("shop_user", "shop_user")
        for url in [
            "/my/dealer/funds",
            f"/my/dealer/funds/{self.fund_a.id}",
            "/my/dealer/claims",
            "/my/dealer/claims/new",
            f"/my/dealer/claims/{self.claim_a.id}",
        ]:
            self.assertRedirects(self._get(url), "/my")
        response = self._get(
            f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}"
        )
        self.assertEqual(response.status_code, 404)

    # -- funds ------------------------------------------------------------------

    def test_funds_page_shows_the_dealers_funds_and_balances(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._get("/my/dealer/funds")
        self.assertEqual(response.status_code, 200)
        self.assertIn("测试促销基金 A", response.text)
        self.assertIn("测试浙江陈列基金", response.text)
        self.assertNotIn("测试促销基金 B", response.text)
        self.assertIn("9,000.00", response.text)  # fund A: 10,000 less 1,000 held
        self.assertIn("Shared by the dealers of 浙江省", response.text)

    def test_fund_history_shows_the_dealers_own_claims_only(self):
        self.authenticate("dealer_a", "dealer_a")
        own = self._get(f"/my/dealer/funds/{self.fund_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.claim_a.name, own.text)
        shared = self._get(f"/my/dealer/funds/{self.fund_zhejiang.id}")
        self.assertEqual(shared.status_code, 200)
        self.assertNotIn(self.claim_sub.name, shared.text)
        self.assertIn("Claims of the other dealers on this fund", shared.text)
        draft = self.env["dealer.fund"].create(
            {
                "name": "未开放基金",
                "dealer_id": self.dealer_a.id,
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
            }
        )
        for fund_id in (self.fund_b.id, draft.id, 999999999):
            response = self._get(f"/my/dealer/funds/{fund_id}")
            self.assertRedirects(response, "/my")
            self.assertNotIn("测试促销基金 B", response.text)

    # -- claims -----------------------------------------------------------------

    def test_claims_list_and_page_of_the_dealer_only(self):
        self.authenticate("dealer_a", "dealer_a")
        listing = self._get("/my/dealer/claims")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.claim_a.name, listing.text)
        self.assertNotIn(self.claim_b.name, listing.text)
        self.assertNotIn(self.claim_sub.name, listing.text)
        own = self._get(f"/my/dealer/claims/{self.claim_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("In review", own.text)
        self.assertIn(
            f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}", own.text
        )
        for claim_id in (self.claim_b.id, self.claim_sub.id, 999999999):
            for suffix in ("", "/edit"):
                response = self._get(f"/my/dealer/claims/{claim_id}{suffix}")
                self.assertRedirects(response, "/my")

    def test_proof_is_served_to_its_dealer_only(self):
        self.authenticate("dealer_a", "dealer_a")
        own = self._get(f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.headers["Content-Type"], "image/jpeg")
        self.assertEqual(own.content, self.proof_a.raw)
        self.assertNotIn("attachment", own.headers.get("Content-Disposition", ""))
        thumb = self._get(
            f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}?thumb=1"
        )
        self.assertEqual(thumb.status_code, 200)
        download = self._get(
            f"/my/dealer/claims/{self.claim_a.id}/proof/{self.proof_a.id}?download=1"
        )
        self.assertIn("attachment", download.headers["Content-Disposition"])
        for claim, proof in [
            (self.claim_b, self.proof_b),
            (self.claim_sub, self.proof_sub),
            (self.claim_a, self.proof_b),  # another's proof through one's own claim
            (self.claim_a, self.proof_sub),
            (self.claim_b, self.proof_a),
        ]:
            response = self._get(f"/my/dealer/claims/{claim.id}/proof/{proof.id}")
            self.assertEqual(response.status_code, 404, (claim.name, proof.name))
            self.assertNotEqual(response.content, proof.raw)

    def test_odoos_attachment_routes_do_not_serve_proof_to_portal_users(self):
        self.authenticate("dealer_a", "dealer_a")
        # /web/image answers a picture it cannot give with Odoo's placeholder
        placeholder = self._get("/web/image/999999999").content
        small_placeholder = self._get("/web/image/999999999/128x128").content
        for proof in (self.proof_b, self.proof_sub, self.proof_a):
            for url in (
                f"/web/content/{proof.id}",
                f"/web/content/{proof.id}?download=true",
                f"/web/content/ir.attachment/{proof.id}/datas",
                f"/web/image/{proof.id}?download=true",
            ):
                response = self._get(url)
                self.assertEqual(response.status_code, 404, url)
                self.assertNotEqual(response.content, proof.raw)
            for url, expected in (
                (f"/web/image/{proof.id}", placeholder),
                (f"/web/image/ir.attachment/{proof.id}/datas", placeholder),
                (f"/web/image/{proof.id}/128x128", small_placeholder),
            ):
                response = self._get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertEqual(response.content, expected, url)
                self.assertNotEqual(response.content, proof.raw)
        # staff who may read the claim open its proof there
        self.authenticate("exp_channel", "exp_channel")
        response = self._get(f"/web/content/{self.proof_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, self.proof_b.raw)

    def test_a_new_claim_with_a_photo_is_submitted(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/claims/new",
            self._new_claim_form(token, submit="1"),
            files=[("proof", ("门店.jpg", photo("orange"), "image/jpeg"))],
        )
        claim = self.env["dealer.expense.claim"].search(
            [("description", "=", "门店促销")]
        )
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual(
            (claim.dealer_id, claim.state, claim.requested_amount, claim.fund_id),
            (self.dealer_a, "submitted", 1200.50, self.fund_a),
        )
        self.assertEqual(claim.proof_ids.mapped("name"), ["门店.jpg"])
        self.assertEqual(claim.decision_ids.user_id, self.user_a)
        self.assertIn(self.user_a.partner_id, claim.message_partner_ids)
        self.assertEqual(self.fund_a.available_amount, 10000 - 1000 - 1200.50)

    def test_a_claim_saved_as_draft_is_edited_then_submitted(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        response = self._post(
            "/my/dealer/claims/new",
            self._new_claim_form(token, save="1", description="草稿"),
        )
        claim = self.env["dealer.expense.claim"].search([("description", "=", "草稿")])
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual(claim.state, "draft")
        page = self._get(f"/my/dealer/claims/{claim.id}")
        self.assertIn("A Promotion claim needs at least one photo as proof.", page.text)
        # submitting without the photo fails, and says so
        response = self._post(
            f"/my/dealer/claims/{claim.id}/submit", {"csrf_token": token}
        )
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}?error=submit")
        self.assertEqual(claim.state, "draft")
        edit = self._get(f"/my/dealer/claims/{claim.id}/edit")
        self.assertEqual(edit.status_code, 200)
        self.assertIn("1200.50", edit.text)
        response = self._post(
            f"/my/dealer/claims/{claim.id}/edit",
            self._new_claim_form(token, requested_amount="900", description="草稿"),
            files=[("proof", ("现场.png", photo("pink"), "image/png"))],
        )
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual((claim.requested_amount, len(claim.proof_ids)), (900, 1))
        response = self._post(
            f"/my/dealer/claims/{claim.id}/submit", {"csrf_token": token}
        )
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual(claim.state, "submitted")
        # once submitted, its content stays as it is
        self.assertRedirects(
            self._get(f"/my/dealer/claims/{claim.id}/edit"),
            f"/my/dealer/claims/{claim.id}",
        )
        response = self._post(
            f"/my/dealer/claims/{claim.id}/edit",
            self._new_claim_form(token, requested_amount="9000"),
        )
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual(claim.requested_amount, 900)

    def test_withdraw_and_submit_again(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        url = f"/my/dealer/claims/{self.claim_a.id}"
        self.assertRedirects(self._post(f"{url}/cancel", {"csrf_token": token}), url)
        self.assertEqual(self.claim_a.state, "cancelled")
        self.assertEqual(self.fund_a.available_amount, 10000)
        self.assertRedirects(
            self._post(f"{url}/cancel", {"csrf_token": token}), f"{url}?error=state"
        )
        self.assertRedirects(self._post(f"{url}/reopen", {"csrf_token": token}), url)
        self.assertRedirects(self._post(f"{url}/submit", {"csrf_token": token}), url)
        self.assertEqual(self.claim_a.state, "submitted")

    def test_bad_input_is_shown_next_to_its_field(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        before = self.env["dealer.expense.claim"].search_count([])
        response = self._post(
            "/my/dealer/claims/new",
            self._new_claim_form(
                token,
                fund_id=str(self.fund_b.id),
                expense_type_id="abc",
                date_from="2026-10-22",
                date_to="2026-10-20",
                requested_amount="一千",
                payment_method="gold",
                submit="1",
            ),
            files=[
                (
                    "proof",
                    (
                        "x.svg",
                        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
                        "image/svg+xml",
                    ),
                )
            ],
        )
        self.assertEqual(response.status_code, 200)
        for message in (
            "Choose a fund from the list.",
            "Choose an expense type from the list.",
            "The activity cannot end before it starts.",
            "Enter the amount you claim",
            "Choose how you want to be paid.",
            "x.svg is not a photo",
        ):
            self.assertIn(message, response.text)
        self.assertEqual(self.env["dealer.expense.claim"].search_count([]), before)

    def test_posts_need_a_csrf_token(self):
        self.authenticate("dealer_a", "dealer_a")
        response = self._post(
            "/my/dealer/claims/new", self._new_claim_form("", submit="1")
        )
        self.assertEqual(response.status_code, 400)
        response = self._post(f"/my/dealer/claims/{self.claim_a.id}/cancel", {"x": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.claim_a.state, "submitted")

    # -- forged requests --------------------------------------------------------

    def test_forged_requests_cannot_approve_change_amounts_or_write_off(self):
        self.authenticate("dealer_a", "dealer_a")
        token = self._csrf_token()
        own = f"/my/dealer/claims/{self.claim_a.id}"
        for action in ("approve", "write_off", "reject", "write"):
            response = self._post(
                f"{own}/{action}", {"csrf_token": token, "approved_amount": "1000"}
            )
            self.assertEqual(response.status_code, 404, action)
        for action in ("submit", "cancel", "reopen", "proof"):
            response = self._post(
                f"/my/dealer/claims/{self.claim_b.id}/{action}", {"csrf_token": token}
            )
            self.assertRedirects(response, "/my")
        self.assertEqual(self.claim_b.state, "submitted")
        # fields the form does not have are ignored; another dealer's fund refused
        response = self._post(
            "/my/dealer/claims/new",
            self._new_claim_form(
                token,
                save="1",
                description="伪造",
                state="approved",
                approved_amount="1200.50",
                dealer_id=str(self.dealer_b.id),
                move_id="1",
            ),
        )
        claim = self.env["dealer.expense.claim"].search([("description", "=", "伪造")])
        self.assertRedirects(response, f"/my/dealer/claims/{claim.id}")
        self.assertEqual(
            (claim.dealer_id, claim.state, claim.approved_amount, claim.move_id.id),
            (self.dealer_a, "draft", 0, False),
        )
        response = self._post(
            "/my/dealer/claims/new",
            self._new_claim_form(
                token, fund_id=str(self.fund_b.id), description="借基金"
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(
            self.env["dealer.expense.claim"].search([("description", "=", "借基金")])
        )

        # JSON-RPC, as a script would send it with the dealer's session
        def call(method, *args):
            response = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": "dealer.expense.claim",
                            "method": method,
                            "args": list(args),
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            return response.json()

        for method, args in [
            ("action_approve", ([self.claim_a.id], 1000.0, "自批")),
            ("action_write_off", ([self.claim_a.id],)),
            ("write", ([self.claim_a.id], {"approved_amount": 1000.0})),
            ("write", ([self.claim_a.id], {"requested_amount": 9000.0})),
            ("write", ([self.claim_a.id], {"state": "approved"})),
        ]:
            result = call(method, *args)
            self.assertIn("error", result, method)
            self.assertEqual(
                result["error"]["data"]["name"], "odoo.exceptions.AccessError", method
            )
        self.assertEqual(
            (
                self.claim_a.state,
                self.claim_a.requested_amount,
                self.claim_a.approved_amount,
            ),
            ("submitted", 1000, 0),
        )
        self.assertFalse(self.claim_a.move_id)

    # -- write-off seen by the dealer -----------------------------------------------

    def test_the_dealer_opens_its_credit_note(self):
        self.claim_a.action_approve(800, "部分")
        move = self.claim_a.with_user(self.billing).action_write_off()[0]
        self.authenticate("dealer_a", "dealer_a")
        listing = self._get("/my/dealer/claims")
        self.assertIn(f'href="/my/invoices/{move.id}"', listing.text)
        self.assertIn("部分", listing.text)
        invoice = self._get(f"/my/invoices/{move.id}")
        self.assertEqual(invoice.status_code, 200)
        self.assertIn(move.name, invoice.text)
        page = self._get(f"/my/dealer/funds/{self.fund_a.id}")
        self.assertIn("9,200.00", page.text)
        self.authenticate("dealer_b", "dealer_b")
        response = self._get(f"/my/invoices/{move.id}")
        self.assertRedirects(response, "/my")
        self.assertNotIn(move.name, response.text)

    # -- home and costs ---------------------------------------------------------

    def test_dealer_home_shows_funds_and_claims_waiting(self):
        self.authenticate("dealer_a", "dealer_a")
        home = self._get("/my/dealer")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/dealer/funds"', home.text)
        self.assertIn('href="/my/dealer/claims"', home.text)
        self.assertIn("o_dealer_funds_available", home.text)
        self.assertRegex(home.text, r'o_dealer_claims_waiting">1<')

    def _queries(self, url):
        self._get(url)  # what the setup left to write is written first
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.assertEqual(self._get(url).status_code, 200)
        return self.cr.sql_log_count - before

    def test_pages_cost_the_same_for_more_claims_and_funds(self):
        # one of each kind already: a written-off claim, a fund with history
        self._approved(10).with_user(self.billing).action_write_off()
        self.authenticate("dealer_a", "dealer_a")
        few = {
            url: self._queries(url) for url in ("/my/dealer/claims", "/my/dealer/funds")
        }
        funds = self.env["dealer.fund"].create(
            [
                {
                    "name": f"基金 {n}",
                    "dealer_id": self.dealer_a.id,
                    "programme_id": self.programme.id,
                    "expense_type_ids": [Command.set(self.type_sample.ids)],
                    "date_from": "2026-10-01",
                    "date_to": "2026-12-31",
                    "line_ids": [Command.create({"amount": 100.0 + n})],
                }
                for n in range(12)
            ]
        )
        funds.action_open()
        for fund in funds:
            claim = self._approved(10, fund=fund)
            claim.with_user(self.billing).action_write_off()
        many = {url: self._queries(url) for url in few}
        self.assertEqual(many, few)

    def test_pages_speak_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["dealer_portal", "dealer_expense"], ["zh_CN"]
        )
        self.user_a.lang = "zh_CN"
        self.authenticate("dealer_a", "dealer_a")
        for url, words in [
            ("/zh_CN/my/dealer", ["市场费用池", "费用申请"]),
            ("/zh_CN/my/dealer/funds", ["已分配", "已占用", "可用", "您的专属费用池"]),
            ("/zh_CN/my/dealer/claims", ["新建申请", "审批中", "申请金额"]),
            (f"/zh_CN/my/dealer/claims/{self.claim_a.id}", ["凭证", "撤回", "记录"]),
            ("/zh_CN/my/dealer/claims/new", ["提交申请", "保存草稿", "兑付方式"]),
        ]:
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)
            for word in words:
                self.assertIn(word, response.text, url)
