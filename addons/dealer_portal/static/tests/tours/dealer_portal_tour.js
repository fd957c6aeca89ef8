import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_portal_customer_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the dealer centre from the portal home",
            trigger: "a[href='/my/dealer']",
            run: "click",
        },
        {
            content: "Open the customer registry",
            trigger: ".o_dealer_home a[href='/my/dealer/customers']",
            run: "click",
        },
        {
            content: "Add a customer",
            trigger: "a[href='/my/dealer/customers/new']",
            run: "click",
        },
        {
            trigger: "input[name='name']",
            run: "edit 南湖便利店",
        },
        {
            trigger: "input[name='code']",
            run: "edit C-A-777",
        },
        {
            trigger: "select[name='customer_type']",
            run: "selectByLabel Key Account",
        },
        {
            trigger: "select[name='state_id']",
            run: "selectByLabel 浙江省",
        },
        {
            trigger: "input[name='city']",
            run: "edit 嘉兴市",
        },
        {
            content: "Save",
            trigger: ".o_dealer_customer_form button[type='submit']",
            run: "click",
        },
        {
            content: "The customer is saved and placed in its territory",
            trigger: ".alert-success:contains('The customer is saved.')",
        },
        {
            trigger: "p:contains('中国 / 华东 / 浙江省 / 嘉兴市')",
        },
        {
            content: "Back to the list, where it shows inside the territory",
            trigger: "a[href='/my/dealer/customers']:contains('Back to the list')",
            run: "click",
        },
        {
            trigger: "tr:contains('南湖便利店') .badge:contains('In territory')",
        },
    ],
});
