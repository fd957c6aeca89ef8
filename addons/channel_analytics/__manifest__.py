{
    "name": "Channel Analytics",
    "summary": "Sell-in, sell-out and channel stock by region, dealer and product; "
    "expense ROI; dashboards for managers and dealers; XLSX export",
    "version": "18.0.1.0.0",
    "category": "Sales/Channel",
    "author": "Dealer Channel Suite contributors",
    "website": "https://github.com/dealer-channel-suite/dealer-channel-suite",
    "license": "LGPL-3",
    "depends": ["dealer_portal", "dealer_expense"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/channel_analytics_security.xml",
        "report/channel_flow_report_views.xml",
        "report/channel_inventory_report_views.xml",
        "report/channel_roi_report_views.xml",
        "wizards/channel_analytics_export_views.xml",
        "views/channel_analytics_menus.xml",
        "views/dealer_expense_claim_views.xml",
        "views/res_config_settings_views.xml",
        "views/channel_analytics_templates.xml",
        "security/dealer_grade_security.xml",
        "data/dealer_grade_data.xml",
        "wizards/dealer_key_customer_export_views.xml",
        "views/dealer_grade_views.xml",
        "views/dealer_key_customer_views.xml",
        "views/dealer_grade_menus.xml",
        "views/res_partner_views.xml",
        "views/dealer_announcement_views.xml",
        "views/dealer_grade_templates.xml",
    ],
    "demo": [
        "demo/dealer_grade_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "channel_analytics/static/src/dashboard/*",
        ],
        "web.assets_frontend": [
            "channel_analytics/static/src/scss/channel_analytics.scss",
        ],
        "web.assets_tests": [
            "channel_analytics/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
