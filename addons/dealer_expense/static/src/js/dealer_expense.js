import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The claim form: offer the expense types the chosen fund pays for, and show
 * the proof the chosen type requires.
 */
publicWidget.registry.DealerClaimForm = publicWidget.Widget.extend({
    selector: ".o_dealer_claim_form",
    events: {
        "change select[name='fund_id']": "_onFundChange",
        "change select[name='expense_type_id']": "_onTypeChange",
    },

    start() {
        this._onFundChange();
        this._onTypeChange();
        return this._super(...arguments);
    },

    _onFundChange() {
        const fund = this.el.querySelector("select[name='fund_id']");
        const typeSelect = this.el.querySelector("select[name='expense_type_id']");
        const chosen = fund.options[fund.selectedIndex];
        const types = chosen && chosen.dataset.types ? chosen.dataset.types.split(",") : [];
        for (const option of typeSelect.options) {
            // a fund without types pays for any type
            option.hidden = Boolean(option.value && types.length && !types.includes(option.value));
        }
        if (typeSelect.selectedOptions[0] && typeSelect.selectedOptions[0].hidden) {
            typeSelect.value = "";
            this._onTypeChange();
        }
    },

    _onTypeChange() {
        const typeSelect = this.el.querySelector("select[name='expense_type_id']");
        const hint = this.el.querySelector(".o_dealer_claim_proof_hint");
        const chosen = typeSelect.options[typeSelect.selectedIndex];
        hint.textContent = (chosen && chosen.dataset.proof) || "";
    },
});
