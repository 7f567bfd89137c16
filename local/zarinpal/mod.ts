/**
 * The local Zarinpal v4 sandbox (spec: /work/shared/specs/zarinpal.md §11, §13). Mounted on the local gateway
 * at /sandbox/zarinpal: API under /pg/v4/payment/, the pay page at /pg/StartPay/{authority}, knobs at /_control.
 */
import { Hono } from "hono";
import { apiRoutes } from "./api.ts";
import { createControl, type SandboxControl } from "./control.ts";
import { controlRoutes } from "./control_routes.ts";
import { Faults } from "./faults.ts";
import { SandboxState } from "./state.ts";
import { startPayRoutes } from "./startpay.ts";

export type { SandboxControl, SessionView } from "./control.ts";
export type { Endpoint } from "./faults.ts";
export type { SandboxPolicy } from "./policy.ts";

export interface ZarinpalSandboxOptions {
  /** The sandbox's clock (control.setNow/advance adjust it further). */
  now?: () => Date;
  /** When given, only these merchants are registered and others get -10 ("production" mode). */
  merchantIds?: string[];
}

/** Builds the sandbox app and its in-process control; state lives in memory for the app's lifetime. */
export function createZarinpalSandbox(
  options: ZarinpalSandboxOptions = {},
): { app: Hono; control: SandboxControl } {
  const state = new SandboxState(options);
  const faults = new Faults();
  const control = createControl(state, faults);
  const app = new Hono();
  app.route("/pg/v4/payment", apiRoutes(state, faults));
  app.route("/pg/StartPay", startPayRoutes(state, faults));
  app.route("/_control", controlRoutes(control));
  app.get("/", (c) =>
    c.json({
      service: "zarinpal sandbox",
      api: "/pg/v4/payment/{request,verify,unVerified,inquiry,reverse,feeCalculation,refresh}.json",
      startPay: "/pg/StartPay/{authority}",
      control: "/_control",
    }));
  return { app, control };
}
