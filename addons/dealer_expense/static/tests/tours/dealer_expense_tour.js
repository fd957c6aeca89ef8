import { registry } from "@web/core/registry";

// A 2 × 2 PNG: the "photo" the dealer takes.
const PHOTO =
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkaGBgYGBgYmBgYGBgAAAGKgCE5tEtPAAAAABJRU5ErkJggg==";

registry.category("web_tour.tours").add("dealer_expense_claim_tour", {
    url: "/my/dealer",
    steps: () => [
        {
            content: "Open the expense claims from the dealer centre",
            trigger: ".o_dealer_home a[href='/my/dealer/claims']",
            run: "click",
        },
        {
            content: "Claim a new expense",
            trigger: "a[href='/my/dealer/claims/new']",
            run: "click",
        },
        {
            trigger: "select[name='fund_id']",
            run: "selectByLabel 测试促销基金 A",
        },
        {
            trigger: "select[name='expense_type_id']",
            run: "selectByLabel Promotion",
        },
        {
            content: "The form says what proof a promotion needs",
            trigger: ".o_dealer_claim_proof_hint:contains('Photos of the promotion')",
        },
        {
            trigger: "input[name='date_from']",
            run() {
                this.anchor.value = "2026-10-17";
            },
        },
        {
            trigger: "input[name='date_to']",
            run() {
                this.anchor.value = "2026-10-18";
            },
        },
        {
            trigger: "input[name='requested_amount']",
            run: "edit 800",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit 周末门店促销",
        },
        {
            content: "Attach a photo of the promotion",
            trigger: "input[name='proof']",
            async run() {
                const blob = await (await fetch(`data:image/png;base64,${PHOTO}`)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "促销现场.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Submit the claim",
            trigger: ".o_dealer_claim_form button[name='submit']",
            run: "click",
        },
        {
            content: "The claim waits for a decision, its budget reserved",
            trigger: ".badge:contains('In review')",
        },
        {
            content: "Its photo is shown",
            trigger: ".o_dealer_claim_proof img.o_dealer_proof_thumb",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_expense_approve_tour", {
    steps: () => [
        {
            content: "Approve the claim",
            trigger: ".o_form_view button[name='action_open_approve_wizard']",
            run: "click",
        },
        {
            content: "Approve part of it",
            trigger: ".modal div[name='approved_amount'] input",
            run: "edit 600",
        },
        {
            trigger: ".modal div[name='reason'] textarea",
            run: "edit 周末只认可 600",
        },
        {
            trigger: ".modal button[name='action_approve']",
            run: "click",
        },
        {
            content: "The claim is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='approved']",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_expense_write_off_tour", {
    steps: () => [
        {
            content: "Write the claim off",
            trigger: ".o_form_view button[name='action_open_write_off_wizard']",
            run: "click",
        },
        {
            trigger: ".modal button[name='action_write_off']",
            run: "click",
        },
        {
            content: "The claim is written off",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='written_off']",
        },
    ],
});

registry.category("web_tour.tours").add("dealer_expense_result_tour", {
    url: "/my/dealer/claims",
    steps: () => [
        {
            content: "The dealer reads the decision and the write-off",
            trigger: ".o_dealer_claim_status:contains('周末只认可 600') .badge:contains('Written off')",
        },
        {
            content: "Open the credit note",
            trigger: "table a.o_dealer_claim_document",
            run: "click",
        },
        {
            content: "The credit note of 600",
            trigger: ".o_portal_invoice_sidebar h2:contains('600.00')",
        },
        {
            content: "Back to the funds",
            trigger: "body",
            run: "goToUrl /my/dealer/funds",
        },
        {
            content: "The fund's new balance: 10,000 less 600",
            trigger: ".o_dealer_funds .card:contains('测试促销基金 A') .o_dealer_fund_available:contains('9,400.00')",
        },
    ],
});
