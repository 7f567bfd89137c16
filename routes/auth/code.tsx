// routes/auth/code.tsx — GET/POST /auth/code (the code of a confirmation or sign-in email, typed in: confirms
// the account and signs in, then goes to the wallet)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { text } from "../../lib/http/schemas.ts";
import { renderPage } from "../../components/render.tsx";
import { emailField } from "../../lib/auth/fields.ts";
import { completeCallback } from "../../lib/auth/sign_in.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { latinDigits } from "../../lib/i18n/digits.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { CodePage, type CodePageProps } from "../../components/auth/CodePage.tsx";

/** Six digits as Auth sends them, typed with Persian or Latin digits, spaces allowed. */
const codeField = text("form.error.code").transform((v) => latinDigits(v).replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6,10}$/, "form.error.code"));
const form = z.object({ email: emailField, code: codeField });
const query = z.object({ email: text().max(254).optional() });

const page = (c: AppContext, state: Omit<CodePageProps, "t">, status: 200 | 400 = 200) =>
  renderPage(c, <CodePage t={c.var.t} {...state} />, { title: c.var.t("auth.code.title"), status });

export const code = new Hono<AppEnv>()
  .get("/", (c) => {
    const parsed = query.safeParse(c.req.query());
    return page(c, { email: parsed.success ? parsed.data.email : undefined });
  })
  .post(
    "/",
    formValidator(
      form,
      (c, errors: FieldErrors, values) => page(c, { errors, email: values.email, code: values.code }, 400),
    ),
    async (c) => {
      const { email, code } = c.req.valid("form");
      const outcome = await completeCallback(
        c.var.auth(),
        { emailCode: { email, token: code } },
        requestContext(c),
      );
      if (outcome.ok) return c.redirect("/wallet", 303);
      const t = c.var.t;
      if (outcome.problem === "rate_limited" || outcome.problem === "unavailable") {
        const problem = problemText(t, c.var.locale, outcome.problem, outcome.retryAfter);
        return renderProblem(
          c,
          outcome,
          <CodePage t={t} email={email} problem={problem} />,
          t("auth.code.title"),
        );
      }
      // A wrong or expired code: said beside the code field, the address kept.
      return page(c, { email, errors: { code: "auth.code.invalid" } }, 400);
    },
  );
