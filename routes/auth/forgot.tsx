// routes/auth/forgot.tsx — GET/POST /auth/forgot (email a password-reset link)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../lib/http/render.tsx";
import { emailField } from "../../lib/auth/fields.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { renderProblem } from "../../lib/auth/respond.ts";
import { requestPasswordReset } from "../../lib/auth/password.ts";
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
      id="forgot"
      action="/auth/forgot"
      title={t("auth.forgot.title")}
      lead={t("auth.forgot.lead")}
      submit={t("auth.forgot.submit")}
      email={state.email}
      emailError={state.errors?.email && t(state.errors.email)}
      hasErrors={!!state.errors}
      problem={state.problem && problemText(t, c.var.locale, state.problem.problem, state.problem.retryAfter)}
    />
  );
}

export const forgot = new Hono<AppEnv>()
  .get("/auth/forgot", (c) => renderPage(c, page(c, {}), { title: c.var.t("auth.forgot.title") }))
  .post(
    "/auth/forgot",
    formValidator(
      form,
      (c, errors, values) =>
        renderPage(c, page(c, { errors, email: values.email }), {
          title: c.var.t("auth.forgot.title"),
          status: 400,
        }),
    ),
    async (c) => {
      const { email } = c.req.valid("form");
      const outcome = await requestPasswordReset(
        c.var.auth(),
        email,
        `${appOrigin(c)}/auth/callback`,
        requestContext(c),
      );
      if (!outcome.ok) {
        return renderProblem(c, outcome, page(c, { email, problem: outcome }), c.var.t("auth.forgot.title"));
      }
      return c.redirect("/auth/sent?kind=recovery", 303);
    },
  );
