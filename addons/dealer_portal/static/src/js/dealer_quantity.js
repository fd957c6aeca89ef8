import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The − and + buttons around a quantity: one pack at a time, and straight to the
 * minimum order from zero. The server checks quantities again on every post.
 */
publicWidget.registry.DealerQuantity = publicWidget.Widget.extend({
    selector: ".o_dealer_qty",
    events: {
        "click .o_dealer_qty_minus": "_onClickMinus",
        "click .o_dealer_qty_plus": "_onClickPlus",
    },

    _step(direction) {
        const input = this.el.querySelector("input[name='quantity']");
        const pack = parseFloat(input.dataset.pack) || 1;
        const minimum = parseFloat(input.dataset.min) || 0;
        let value = (parseFloat(input.value) || 0) + direction * pack;
        if (direction > 0 && value < minimum) {
            value = minimum;
        } else if (direction < 0 && value < minimum) {
            value = 0;
        }
        input.value = String(Number(Math.max(value, 0).toFixed(6)));
        input.dispatchEvent(new Event("change", { bubbles: true }));
    },

    _onClickMinus(ev) {
        ev.preventDefault();
        this._step(-1);
    },

    _onClickPlus(ev) {
        ev.preventDefault();
        this._step(1);
    },
});



/**
 * Receipt confirmation: the shortfall reason shows once a quantity received drops
 * below the quantity shipped.
 */
publicWidget.registry.DealerReceiptLine = publicWidget.Widget.extend({
    selector: ".o_dealer_receipt_line",
    events: {
        "input .o_dealer_received": "_onInputReceived",
    },

    _onInputReceived(ev) {
        const shipped = parseFloat(this.el.dataset.shipped) || 0;
        const received = parseFloat(ev.currentTarget.value);
        const short = !isNaN(received) && received < shipped;
        for (const field of this.el.querySelectorAll(".o_dealer_shortfall")) {
            field.classList.toggle("o_dealer_shortfall_hidden", !short);
        }
    },
});
