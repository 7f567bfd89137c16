/** What every sandbox call goes through: injected faults, the rate limit, and the v4 envelopes. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { messageFor, Refusal } from "./codes.ts";
import type { Endpoint, Faults } from "./faults.ts";
import type { SandboxState } from "./state.ts";
import { asBody, type Body } from "./validate.ts";
import { readBody } from "./body.ts";

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
    const raw = await readBody(c);
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
      return failure(c, error, state.policy.statusMode === "2xx" ? 200 : state.policy.errorStatus);
    }
  };
}

/** The failure envelope `{data: [], errors: {code, message, validations}}` with HTTP `status`. */
export function failure(c: Context, refusal: Refusal, status: number): Response {
  const errors = { code: refusal.code, message: messageFor(refusal.code), validations: refusal.validations };
  return c.json({ data: [], errors }, status as ContentfulStatusCode);
}
