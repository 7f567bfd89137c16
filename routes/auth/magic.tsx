// routes/auth/magic.tsx — GET/POST /auth/magic (email a one-time sign-in link)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../lib/http/render.tsx";
import { emailField } from "../../lib/auth/fields.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { renderProblem } from "../../lib/auth/respond.ts";
import { sendMagicLink } from "../../lib/auth/sign_in.ts";
import { appOrigin } from "../../lib/auth/supabase.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { formValidator } from "../../components/forms/validator.ts";
import { EmailOnlyForm } from "../../components/forms/EmailOnlyForm.tsx";
import type { FieldErrors } from "../../components/forms/form_errors.ts";

const form = z.object({ email: emailField });

function page(
  c: AppContext,
  state: { email?: string; errors?: FieldErrors; problem?: { problem: AuthProblem; retryAfter?: number } },
) {
  const t = c.var.t;
  return (
    <EmailOnlyForm
      t={t}
      id="magic"
      action="/auth/magic"
      title={t("auth.magic.title")}
      lead={t("auth.magic.lead")}
      submit={t("auth.magic.submit")}
      email={state.email}
      emailError={state.errors?.email && t(state.errors.email)}
      hasErrors={!!state.errors}
      problem={state.problem && problemText(t, c.var.locale, state.problem.problem, state.problem.retryAfter)}
    />
  );
}

export const magic = new Hono<AppEnv>()
  .get("/auth/magic", (c) => renderPage(c, page(c, {}), { title: c.var.t("auth.magic.title") }))
  .post(
    "/auth/magic",
    formValidator(
      form,
      (c, errors, values) =>
        renderPage(c, page(c, { errors, email: values.email }), {
          title: c.var.t("auth.magic.title"),
          status: 400,
        }),
    ),
    async (c) => {
      const { email } = c.req.valid("form");
      const outcome = await sendMagicLink(
        c.var.auth(),
        email,
        `${appOrigin(c)}/auth/callback`,
        requestContext(c),
      );
      if (!outcome.ok) {
        return renderProblem(c, outcome, page(c, { email, problem: outcome }), c.var.t("auth.magic.title"));
      }
      return c.redirect("/auth/sent?kind=magic", 303);
    },
  );
