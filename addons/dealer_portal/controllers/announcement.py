from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import DealerPortal


class DealerAnnouncementPortal(DealerPortal):
    """Channel policies and announcements addressed to the dealer."""

    def _prepare_dealer_announcements_domain(self, dealer):
        return [
            ("state", "=", "published"),
            ("recipient_ids.dealer_id", "=", dealer.id),
        ]

    def _get_dealer_announcement(self, dealer, announcement_id):
        """The announcement, sudo-ed, if it is addressed to the dealer; else None."""
        announcement = request.env["dealer.announcement"].search(
            [("id", "=", announcement_id)]
            + self._prepare_dealer_announcements_domain(dealer)
        )
        # Read for the dealer, who may read it but not its audience settings.
        return announcement.sudo() or None

    @http.route()
    def portal_my_dealer(self, **kw):
        response = super().portal_my_dealer(**kw)
        dealer = self._get_portal_dealer()
        if dealer and response.is_qweb:
            response.qcontext["announcement_unread_count"] = request.env[
                "dealer.announcement.recipient"
            ].search_count(
                [
                    ("dealer_id", "=", dealer.id),
                    ("read_date", "=", False),
                    ("announcement_id.state", "=", "published"),
                ]
            )
        return response

    @http.route(
        ["/my/dealer/announcements", "/my/dealer/announcements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_announcements(self, page=1, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Announcement = request.env["dealer.announcement"]
        domain = self._prepare_dealer_announcements_domain(dealer)
        pager = portal_pager(
            url="/my/dealer/announcements",
            total=Announcement.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        announcements = Announcement.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        read = {
            recipient.announcement_id.id
            for recipient in request.env["dealer.announcement.recipient"].search(
                [
                    ("dealer_id", "=", dealer.id),
                    ("announcement_id", "in", announcements.ids),
                    ("read_date", "!=", False),
                ]
            )
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_announcements",
                "dealer": dealer,
                "announcements": announcements,
                "read_ids": read,
                "pager": pager,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_announcements", values)

    @http.route(
        "/my/dealer/announcements/<int:announcement_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_announcement(self, announcement_id, **kw):
        dealer = self._get_portal_dealer()
        announcement = dealer and self._get_dealer_announcement(dealer, announcement_id)
        if not announcement:
            return request.redirect("/my")
        recipient = announcement.recipient_ids.filtered(lambda r: r.dealer_id == dealer)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_announcement",
                "dealer": dealer,
                "announcement": announcement,
                "recipient": recipient,
            }
        )
        return request.render("dealer_portal.portal_my_dealer_announcement", values)

    @http.route(
        "/my/dealer/announcements/<int:announcement_id>/read",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_dealer_announcement_read(self, announcement_id, **kw):
        dealer = self._get_portal_dealer()
        announcement = dealer and self._get_dealer_announcement(dealer, announcement_id)
        if not announcement:
            return request.redirect("/my")
        try:
            announcement._acknowledge(dealer)
        except UserError:
            return request.redirect("/my")
        return request.redirect(f"/my/dealer/announcements/{announcement_id}")

    @http.route(
        "/my/dealer/announcements/<int:announcement_id>/file/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_announcement_file(self, announcement_id, attachment_id, **kw):
        dealer = self._get_portal_dealer()
        announcement = dealer and self._get_dealer_announcement(dealer, announcement_id)
        attachment = announcement and announcement.attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment:
            return request.redirect("/my")
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment)
            .get_response(as_attachment=True)
        )
