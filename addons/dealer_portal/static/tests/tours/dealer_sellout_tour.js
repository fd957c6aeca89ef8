import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_portal_sellout_tour", {
    url: "/my/dealer",
    steps: () => [
        {
            content: "Open sell-out reporting",
            trigger: ".o_dealer_home a[href='/my/dealer/sellout']",
            run: "click",
        },
        {
            content: "Enter sales by hand",
            trigger: "a[href='/my/dealer/sellout/new']",
            run: "click",
        },
        {
            trigger: "input[name='row-0-product_code']",
            run: "edit T-TEA",
        },
        {
            trigger: "input[name='row-0-quantity']",
            run: "edit 5",
        },
        {
            trigger: "input[name='row-0-unit_price']",
            run: "edit 38",
        },
        {
            trigger: "input[name='row-0-lot']",
            run: "edit LOT-T1",
        },
        {
            trigger: "input[name='row-0-customer']",
            run: "edit C-A-001",
        },
        {
            content: "One more line for a new customer",
            trigger: ".o_dealer_sellout_add_row",
            run: "click",
        },
        {
            trigger: "input[name='row-5-product_code']",
            run: "edit T-TEA",
        },
        {
            trigger: "input[name='row-5-quantity']",
            run: "edit 2",
        },
        {
            trigger: "input[name='row-5-unit_price']",
            run: "edit 39",
        },
        {
            trigger: "input[name='row-5-customer']",
            run: "edit 南湖新店",
        },
        {
            trigger: "input[name='row-5-province']",
            run: "edit 浙江省",
        },
        {
            trigger: "input[name='row-5-city']",
            run: "edit 嘉兴市",
        },
        {
            trigger: "input[name='row-5-lot']",
            run: "edit LOT-T1",
        },
        {
            content: "Check the lines",
            trigger: ".o_dealer_sellout_form button[type='submit']",
            run: "click",
        },
        {
            content: "The new customer is announced before submitting",
            trigger: ".o_dealer_line_problems:contains('南湖新店')",
        },
        {
            content: "Submit",
            trigger: "form[action$='/submit'] button[type='submit']",
            run: "click",
        },
        {
            content: "Both lines are posted",
            trigger: ".badge:contains('Done')",
        },
        {
            trigger: ".o_dealer_line_problems .badge:contains('Posted')",
        },
        {
            content: "Stock went down by what was sold",
            trigger: ".breadcrumb a[href='/my/dealer']",
            run: "click",
        },
        {
            trigger: ".o_dealer_home a[href='/my/dealer/inventory']",
            run: "click",
        },
        {
            trigger: "tr:contains('LOT-T1') td:contains('93')",
        },
    ],
});
