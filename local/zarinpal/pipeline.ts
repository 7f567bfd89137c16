/** What every sandbox call goes through: injected faults, the rate limit, and the v4 envelopes. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { messageFor, Refusal } from "./codes.ts";
import type { Endpoint, Faults } from "./faults.ts";
import type { SandboxState } from "./state.ts";
import { asBody, type Body } from "./validate.ts";

type Data = Record<string, unknown>;

/**
 * Applies outage, delay, a one-shot hang and a one-shot forced code. After a hang the call is still
 * processed, like a real server finishing work for a client that gave up (reset() ends hangs early).
 */
export async function injectFaults(
  c: Context,
  endpoint: Endpoint,
  faults: Faults,
): Promise<Response | undefined> {
  if (faults.isDown(endpoint)) return c.text("503 Service Temporarily Unavailable", 503);
  await faults.sleep(faults.delays.get(endpoint) ?? 0);
  const hang = faults.take(faults.timeouts, endpoint);
  if (hang !== undefined) await faults.sleep(hang);
  const forced = faults.take(faults.failures, endpoint);
  if (forced === undefined) return undefined;
  if (forced >= 400) {
    return c.html(
      `<html><body><center><h1>${forced} Error</h1></center><hr><center>nginx</center></body></html>`,
      {
        status: forced as ContentfulStatusCode,
      },
    );
  }
  throw new Refusal(forced);
}

/** Wraps an endpoint's logic: success `{data, errors: []}` with 200, failure `{data: [], errors: {…}}`. */
export function pipeline(state: SandboxState, faults: Faults) {
  return (endpoint: Endpoint, logic: (body: Body) => Data | Promise<Data>) => async (c: Context) => {
    const raw: unknown = await c.req.json().catch(() => undefined);
    if (endpoint === "verify") faults.countVerify((raw as Body | undefined)?.authority);
    try {
      const early = await injectFaults(c, endpoint, faults);
      if (early) return early;
      const body = asBody(raw);
      const key = String(body.merchant_id ?? "").toLowerCase();
      if (faults.overLimit(key, state.now().getTime(), state.policy.rateLimit)) throw new Refusal(-12);
      return c.json({ data: await logic(body), errors: [] });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const status = state.policy.statusMode === "2xx" ? 200 : state.policy.errorStatus;
      const errors = { code: error.code, message: messageFor(error.code), validations: error.validations };
      return c.json({ data: [], errors }, status as ContentfulStatusCode);
    }
  };
}
