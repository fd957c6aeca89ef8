import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("channel_analytics_portal_tour", {
    url: "/my/dealer",
    steps: () => [
        {
            content: "Open my analytics from the dealer centre",
            trigger: ".o_dealer_home a[href='/my/dealer/analytics']",
            run: "click",
        },
        {
            content: "Twelve months of sell-out, as bars",
            trigger: ".o_dealer_analytics_chart:has(.o_dealer_analytics_bar:nth-child(12))",
        },
        {
            content: "The stock cover of the dealer's products",
            trigger: ".o_dealer_analytics_cover li:contains('测试绿茶'):contains('days')",
        },
        {
            content: "The return on this year's claims",
            trigger: ".o_dealer_analytics_roi:contains('1.63')",
        },
    ],
});

registry.category("web_tour.tours").add("channel_analytics_dashboard_tour", {
    url: "/odoo/action-channel_analytics.channel_dashboard_action",
    steps: () => [
        {
            content: "The dashboard draws its charts",
            trigger: ".o_channel_dashboard canvas",
        },
        {
            content: "Dealer A leads the ranking; open its figures",
            trigger: ".o_channel_dashboard tr:contains('浙江测试商贸')",
            run: "click",
        },
        {
            content: "The channel analysis opens for that dealer",
            trigger: ".o_pivot",
        },
    ],
});
