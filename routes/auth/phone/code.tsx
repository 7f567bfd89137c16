// routes/auth/phone/code.tsx — GET/POST /auth/phone/code (the six digits sent to the pending number)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { noticeKey } from "../../../lib/auth/notices.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { checkCode, RESEND_SECONDS } from "../../../lib/phone/flows.ts";
import { codeField, forgetPending, type PendingCode, pendingCode } from "../../../lib/phone/fields.ts";
import { isPhoneProblem, phoneStatus } from "../../../lib/phone/errors.ts";
import { PhoneCodePage, type PhoneFormState } from "../../../components/phone/PhonePages.tsx";
import { LANDING } from "../../../lib/auth/fields.ts";

const form = z.object({ code: codeField });

function render(
  c: AppContext,
  pending: PendingCode,
  state: PhoneFormState,
  status: 200 | 400 | 409 | 429 | 503 = 200,
) {
  const resendIn = Math.max(0, RESEND_SECONDS - (Date.now() - pending.sentAt) / 1000);
  const page = (
    <PhoneCodePage
      t={c.var.t}
      locale={c.var.locale}
      e164={pending.e164}
      purpose={pending.purpose}
      resendIn={Math.ceil(resendIn)}
      state={state}
    />
  );
  c.header("Cache-Control", "no-store");
  return renderPage(c, page, { title: c.var.t("phone.code.title"), status });
}

/** No number waiting for a code (cookie gone or expired): back to where one is typed. */
const restart = (c: AppContext) => c.redirect(c.var.claims ? "/profile#phone" : "/auth/phone", 303);

export const phoneCode = new Hono<AppEnv>()
  .get("/", (c) => {
    const pending = pendingCode(c);
    if (!pending) return restart(c);
    const problem = c.req.query("problem");
    const wait = Number(c.req.query("wait"));
    return render(c, pending, {
      notice: noticeKey(c.req.query("notice")),
      problem: isPhoneProblem(problem)
        ? { problem, retryAfter: Number.isInteger(wait) && wait > 0 && wait < 86400 ? wait : undefined }
        : undefined,
    });
  })
  .post(
    "/",
    formValidator(form, (c, errors) => {
      const pending = pendingCode(c);
      return pending ? render(c, pending, { errors }, 400) : restart(c);
    }),
    async (c) => {
      const pending = pendingCode(c);
      if (!pending) return restart(c);
      // A phone change belongs to the signed-in account that asked for it.
      if (pending.purpose === "change" && !c.var.claims) return c.redirect("/signin?next=/profile", 303);
      const { code } = c.req.valid("form");
      const outcome = await checkCode(c.var.auth(), pending.e164, code, pending.purpose, requestContext(c));
      if (!outcome.ok) {
        if (outcome.retryAfter) c.header("Retry-After", String(outcome.retryAfter));
        return render(c, pending, { problem: outcome }, phoneStatus(outcome.problem));
      }
      forgetPending(c);
      return c.redirect(
        pending.purpose === "change" ? "/profile?notice=phone_verified#phone" : LANDING,
        303,
      );
    },
  );
