// routes/auth/phone/resend.ts — POST /auth/phone/resend (another code to the pending number, then the code page)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { resendCode } from "../../../lib/phone/flows.ts";
import { pendingCode, rememberPending } from "../../../lib/phone/fields.ts";

export const phoneResend = new Hono<AppEnv>()
  .post("/", async (c) => {
    const pending = pendingCode(c);
    if (!pending) return c.redirect("/auth/phone", 303);
    if (pending.purpose === "change" && !c.var.claims) return c.redirect("/signin?next=/profile", 303);
    const outcome = await resendCode(
      c.var.auth(),
      pending.e164,
      pending.purpose,
      c.var.locale,
      requestContext(c),
    );
    if (!outcome.ok) {
      const wait = outcome.retryAfter ? `&wait=${outcome.retryAfter}` : "";
      return c.redirect(`/auth/phone/code?problem=${outcome.problem}${wait}`, 303);
    }
    rememberPending(c, { ...pending, sentAt: Date.now() });
    return c.redirect("/auth/phone/code?notice=code_resent", 303);
  });
