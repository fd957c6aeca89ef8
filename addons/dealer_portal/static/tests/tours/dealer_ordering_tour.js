import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dealer_portal_ordering_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the dealer centre from the portal home",
            trigger: "a[href='/my/dealer']",
            run: "click",
        },
        {
            content: "Open the catalog",
            trigger: ".o_dealer_home a[href='/my/dealer/catalog']",
            run: "click",
        },
        {
            content: "Look for green tea",
            trigger: ".o_dealer_catalog_search input[name='search']",
            run: "edit 绿茶",
        },
        {
            trigger: ".o_dealer_catalog_search button[type='submit']",
            run: "click",
        },
        {
            content: "Only the tea is listed, at the dealer's price",
            trigger: ".o_dealer_catalog_item:contains('测试绿茶') .o_dealer_price:contains('25.00')",
        },
        {
            content: "One more pack than the minimum",
            trigger: ".o_dealer_catalog_item:contains('测试绿茶') .o_dealer_qty_plus",
            run: "click",
        },
        {
            trigger: ".o_dealer_catalog_item:contains('测试绿茶') input[name='quantity']:value(15)",
        },
        {
            content: "Add it to the cart",
            trigger: ".o_dealer_catalog_item:contains('测试绿茶') .o_dealer_add",
            run: "click",
        },
        {
            trigger: ".o_dealer_catalog_item:contains('测试绿茶'):contains('In your cart: 15')",
        },
        {
            content: "Open the cart",
            trigger: ".o_dealer_cart_bar a[href='/my/dealer/cart']",
            run: "click",
        },
        {
            trigger: ".o_dealer_cart_total:contains('375.00')",
        },
        {
            content: "Give the dealer's own reference",
            trigger: "input[name='client_order_ref']",
            run: "edit PO-TOUR-1",
        },
        {
            content: "Place the order",
            trigger: ".o_dealer_place_order",
            run: "click",
        },
        {
            content: "The order is confirmed at once: the dealer is within its credit",
            trigger: ".o_dealer_placed:contains('your order is confirmed')",
        },
        {
            trigger: ".o_dealer_timeline .o_dealer_timeline_done:contains('Confirmed')",
        },
        {
            content: "Go to the deliveries",
            trigger: "a[href='/my/dealer/deliveries']",
            run: "click",
        },
        {
            content: "Open the delivery waiting for confirmation",
            trigger: "tr.o_dealer_delivery_row:contains('To confirm') a",
            run: "click",
        },
        {
            content: "Two cases arrived broken",
            trigger: ".o_dealer_receipt_line input.o_dealer_received",
            run: "edit 18",
        },
        {
            trigger: ".o_dealer_receipt_line select[name^='reason_']:not(:hidden)",
            run: "selectByLabel Damaged in transit",
        },
        {
            trigger: ".o_dealer_receipt_line input[name^='reason_note_']",
            run: "edit 运输破损 2 箱",
        },
        {
            content: "Confirm the receipt",
            trigger: ".o_dealer_confirm_receipt",
            run: "click",
        },
        {
            trigger: ".alert-success:contains('your receipt is confirmed')",
        },
        {
            trigger: ".badge:contains('Received short')",
        },
    ],
});
