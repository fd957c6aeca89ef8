import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The sell-out entry form: one more empty line on request.
 */
publicWidget.registry.DealerSelloutForm = publicWidget.Widget.extend({
    selector: ".o_dealer_sellout_form",
    events: {
        "click .o_dealer_sellout_add_row": "_onAddRow",
    },

    _onAddRow() {
        const rows = this.el.querySelectorAll(".o_dealer_sellout_row");
        const last = rows[rows.length - 1];
        const copy = last.cloneNode(true);
        const number = rows.length;
        for (const input of copy.querySelectorAll("input")) {
            input.name = input.name.replace(/^row-\d+-/, `row-${number}-`);
            // the same day as the line above, most often; the rest is new
            if (input.type !== "date") {
                input.value = "";
            }
        }
        last.after(copy);
        copy.querySelector("input").focus();
    },
});

/**
 * While a report is read or posted in the background, reload its page now and
 * then to show the progress.
 */
publicWidget.registry.DealerJobProgress = publicWidget.Widget.extend({
    selector: ".o_dealer_job_running",

    start() {
        this._timer = setTimeout(() => window.location.reload(), 3000);
        return this._super(...arguments);
    },

    destroy() {
        clearTimeout(this._timer);
        this._super(...arguments);
    },
});
