import { Component, onMounted, onWillStart, onWillUnmount, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COLOURS = ["#714B67", "#017E84", "#E4A900", "#D44C59", "#5A8DEE", "#8AB56B", "#A3A3A3"];

/**
 * The channel manager's dashboard: KPIs, the sell-out trend, regions,
 * categories, top and bottom dealers, diversion and claims, from one call
 * (channel.dashboard.get_dashboard_data) that reads the monthly summaries.
 */
export class ChannelDashboard extends Component {
    static template = "channel_analytics.ChannelDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.trendCanvas = useRef("trend");
        this.regionCanvas = useRef("regions");
        this.categoryCanvas = useRef("categories");
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            this.data = await this.orm.call("channel.dashboard", "get_dashboard_data", []);
        });
        onMounted(() => this.renderCharts());
        onWillUnmount(() => this.charts.forEach((chart) => chart.destroy()));
    }

    get kpis() {
        return this.data.months.kpis;
    }

    money(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(
            value
        );
        const { symbol, position } = this.data.currency;
        return position === "before" ? `${symbol} ${number}` : `${number} ${symbol}`;
    }

    number(value, digits = 0) {
        if (value === null || value === undefined) {
            return "–";
        }
        return new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value);
    }

    percent(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        return `${(value * 100).toFixed(1)}%`;
    }

    growthClass(value) {
        if (value === null || value === undefined) {
            return "text-muted";
        }
        return value >= 0 ? "text-success" : "text-danger";
    }

    renderCharts() {
        const Chart = window.Chart;
        const trend = this.data.months.trend;
        this.charts.push(
            new Chart(this.trendCanvas.el, {
                type: "line",
                data: {
                    labels: trend.map((month) => month.month),
                    datasets: [
                        {
                            label: _t("Net sell-out"),
                            data: trend.map((month) => month.net_amount),
                            borderColor: COLOURS[0],
                            backgroundColor: COLOURS[0],
                            tension: 0.25,
                        },
                        {
                            label: _t("Sell-in"),
                            data: trend.map((month) => month.sellin_amount),
                            borderColor: COLOURS[1],
                            backgroundColor: COLOURS[1],
                            tension: 0.25,
                        },
                    ],
                },
                options: { maintainAspectRatio: false, interaction: { mode: "index" } },
            })
        );
        const regions = this.data.regions;
        this.charts.push(
            new Chart(this.regionCanvas.el, {
                type: "bar",
                data: {
                    labels: regions.map((region) => region.name),
                    datasets: [
                        {
                            label: _t("Last 12 months"),
                            data: regions.map((region) => region.net_amount),
                            backgroundColor: COLOURS[0],
                        },
                        {
                            label: _t("12 months before"),
                            data: regions.map((region) => region.previous),
                            backgroundColor: COLOURS[6],
                        },
                    ],
                },
                options: { maintainAspectRatio: false, indexAxis: "y" },
            })
        );
        const categories = this.data.categories;
        this.charts.push(
            new Chart(this.categoryCanvas.el, {
                type: "doughnut",
                data: {
                    labels: categories.map((categ) => categ.name),
                    datasets: [
                        {
                            data: categories.map((categ) => categ.net_amount),
                            backgroundColor: categories.map(
                                (_categ, index) => COLOURS[index % COLOURS.length]
                            ),
                        },
                    ],
                },
                options: { maintainAspectRatio: false },
            })
        );
    }

    openDealer(dealerId) {
        this.action.doAction("channel_analytics.channel_flow_report_action", {
            additionalContext: { search_default_dealer_id: dealerId },
        });
    }

    openReport(xmlid) {
        this.action.doAction(xmlid);
    }

    openDiversion() {
        this.action.doAction("dealer_portal.dealer_sellout_issue_action", {
            additionalContext: { search_default_diversion: 1, search_default_open: 1 },
        });
    }
}

registry.category("actions").add("channel_analytics.dashboard", ChannelDashboard);
