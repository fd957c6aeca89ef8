from odoo import http
from odoo.http import request

from odoo.addons.dealer_expense.controllers.portal import DealerExpensePortal


class ChannelAnalyticsPortal(DealerExpensePortal):
    """The dealer's own analytics page."""

    def _prepare_dealer_analytics_values(self, dealer):
        """Values of ``/my/dealer/analytics``. Add-ons add their sections here
        (the dealer's grade and its explanation, top and at-risk customers,
        anonymous regional benchmarks) and show them through the template's
        ``dealer_analytics_sections`` block."""
        funds = request.env["dealer.fund"].search(
            self._prepare_dealer_funds_domain(dealer)
        )
        return {
            **dealer._channel_analytics_values(funds),
            **dealer._dealer_grading_portal_values(),
        }

    @http.route(
        "/my/dealer/analytics", type="http", auth="user", website=True, readonly=True
    )
    def portal_my_dealer_analytics(self, **kw):
        dealer = self._get_portal_dealer()
        if not dealer:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_analytics",
                "dealer": dealer,
                **self._prepare_dealer_analytics_values(dealer),
            }
        )
        return request.render("channel_analytics.portal_my_dealer_analytics", values)
