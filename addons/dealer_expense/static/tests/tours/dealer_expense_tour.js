import { registry } from "@web/core/registry";
