import base64
import re

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestAnnouncement(DealerCommon, HttpCase):
    """Announcements reach their audience only; each dealer acknowledges them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="announcer",
            groups="dealer_portal.group_channel_manager",
        )
        Announcement = cls.env["dealer.announcement"].with_user(cls.manager)
        cls.for_zhejiang = Announcement.create(
            {
                "name": "浙江夏季促销",
                "kind": "promotion",
                "body": "<p>7月起绿茶满100箱返2%。</p>",
                "audience_all": False,
                "territory_ids": [Command.set(cls.zhejiang.ids)],
            }
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "促销细则.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 terms"),
                "res_model": "dealer.announcement",
                "res_id": cls.for_zhejiang.id,
            }
        )
        cls.for_zhejiang.attachment_ids = cls.attachment
        cls.for_zhejiang.action_publish()
        cls.to_everyone = Announcement.create(
            {"name": "2027年价格政策", "kind": "price_policy"}
        )
        cls.to_everyone.action_publish()
        cls.draft = Announcement.create({"name": "新品预告", "kind": "new_product"})

    def _ours(self, announcement):
        """The test's dealers among the announcement's recipients (demo data
        may add its own)."""
        return announcement.recipient_ids.dealer_id & (
            self.dealer_a | self.dealer_b | self.sub_dealer
        )

    def test_audience_by_territory_takes_the_subtree(self):
        self.assertEqual(self._ours(self.for_zhejiang), self.dealer_a | self.sub_dealer)
        self.assertEqual(
            self._ours(self.to_everyone),
            self.dealer_a | self.dealer_b | self.sub_dealer,
        )
        self.assertFalse(
            self.for_zhejiang.recipient_ids.dealer_id.dealer_territory_ids
            - self.env["dealer.territory"].search(
                [("id", "child_of", self.zhejiang.id)]
            ),
            "only dealers of 浙江省 and its cities",
        )

    def test_audience_by_level(self):
        announcement = self.env["dealer.announcement"].create(
            {
                "name": "分销商返利",
                "audience_all": False,
                "for_sub_distributors": True,
            }
        )
        announcement.action_publish()
        self.assertEqual(self._ours(announcement), self.sub_dealer)
        self.assertEqual(
            set(announcement.recipient_ids.dealer_id.mapped("dealer_level")),
            {"sub_distributor"},
        )

    def test_territory_and_level_together_narrow_the_audience(self):
        announcement = self.env["dealer.announcement"].create(
            {
                "name": "上海分销商",
                "audience_all": False,
                "territory_ids": [Command.set(self.shanghai.ids)],
                "for_sub_distributors": True,
            }
        )
        with self.assertRaisesText(UserError, "No dealer is in this audience."):
            announcement.action_publish()
        self.assertEqual(announcement.state, "draft")

    def test_a_chosen_audience_with_nobody_chosen_reaches_nobody(self):
        announcement = self.env["dealer.announcement"].create(
            {"name": "空", "audience_all": False}
        )
        with self.assertRaisesText(UserError, "No dealer is in this audience."):
            announcement.action_publish()

    def test_published_twice_is_refused(self):
        with self.assertRaisesText(UserError, "Only a draft can be published."):
            self.to_everyone.action_publish()

    def test_dealer_reads_only_what_is_addressed_to_it(self):
        Announcement = self.env["dealer.announcement"]
        self.assertEqual(
            Announcement.with_user(self.user_a).search([]),
            self.for_zhejiang | self.to_everyone,
        )
        self.assertEqual(
            Announcement.with_user(self.user_b).search([]), self.to_everyone
        )
        with self.assertRaises(AccessError):
            self.for_zhejiang.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user_a).read(["name"])
        self.assertEqual(
            self.env["dealer.announcement.recipient"]
            .with_user(self.user_a)
            .search([])
            .dealer_id,
            self.dealer_a,
        )

    def test_dealer_writes_nothing(self):
        with self.assertRaises(AccessError):
            self.to_everyone.with_user(self.user_a).write({"name": "改"})
        recipient = self.to_everyone.recipient_ids.filtered(
            lambda r: r.dealer_id == self.dealer_a
        )
        with self.assertRaises(AccessError):
            recipient.with_user(self.user_a).write({"read_date": "2026-01-01"})

    def _login(self, login):
        """Log in; return a CSRF token, read from the announcement to everyone."""
        self.authenticate(login, login)
        page = self.url_open(f"/my/dealer/announcements/{self.to_everyone.id}")
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def assertRedirectsHome(self, response):
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_dealer_acknowledges_in_the_portal(self):
        token = self._login("dealer_a")
        listing = self.url_open("/my/dealer/announcements")
        self.assertIn("浙江夏季促销", listing.text)
        self.assertIn("2027年价格政策", listing.text)
        self.assertNotIn("新品预告", listing.text)

        url = f"/my/dealer/announcements/{self.for_zhejiang.id}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("7月起绿茶满100箱返2%", page.text)
        self.assertIn("促销细则.pdf", page.text)
        download = self.url_open(f"{url}/file/{self.attachment.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, b"%PDF-1.4 terms")

        response = self.url_open(
            f"{url}/read", data={"csrf_token": token}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        recipient = self.for_zhejiang.recipient_ids.filtered(
            lambda r: r.dealer_id == self.dealer_a
        )
        self.assertTrue(recipient.read_date)
        self.assertEqual(recipient.read_uid, self.user_a)
        total = len(self.for_zhejiang.recipient_ids)
        self.assertEqual(
            (self.for_zhejiang.recipient_count, self.for_zhejiang.read_count),
            (total, 1),
        )
        unread = self.env["dealer.announcement.recipient"].search(
            self.for_zhejiang.action_view_unread()["domain"]
        )
        self.assertEqual(len(unread), total - 1)
        self.assertIn(self.sub_dealer, unread.dealer_id)
        self.assertNotIn(self.dealer_a, unread.dealer_id)

        first_read = recipient.read_date
        self.url_open(f"{url}/read", data={"csrf_token": token}, allow_redirects=False)
        self.assertEqual(recipient.read_date, first_read, "the first reading counts")

    def test_dealer_outside_the_audience_cannot_open_it(self):
        token = self._login("dealer_b")
        url = f"/my/dealer/announcements/{self.for_zhejiang.id}"
        self.assertNotIn("浙江夏季促销", self.url_open("/my/dealer/announcements").text)
        self.assertRedirectsHome(self.url_open(url, allow_redirects=False))
        self.assertRedirectsHome(
            self.url_open(f"{url}/file/{self.attachment.id}", allow_redirects=False)
        )
        self.assertRedirectsHome(
            self.url_open(
                f"{url}/read", data={"csrf_token": token}, allow_redirects=False
            )
        )
        self.assertFalse(self.for_zhejiang.recipient_ids.filtered("read_date"))
        # Nor a draft, nor a file of another record through an announcement of its own.
        self.assertRedirectsHome(
            self.url_open(
                f"/my/dealer/announcements/{self.draft.id}", allow_redirects=False
            )
        )
        self.assertRedirectsHome(
            self.url_open(
                f"/my/dealer/announcements/{self.to_everyone.id}/file/"
                f"{self.attachment.id}",
                allow_redirects=False,
            )
        )

    def test_anonymous_visitor_is_sent_to_log_in(self):
        response = self.url_open(
            f"/my/dealer/announcements/{self.to_everyone.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
