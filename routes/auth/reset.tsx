// routes/auth/reset.tsx — GET/POST /auth/reset (choose a new password after following a recovery link)
import { z } from "zod";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { newPasswordField } from "../../lib/auth/fields.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { changePassword } from "../../lib/auth/password.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { requireLiveSession, userRoutes } from "../../lib/auth/guards.ts";
import { endRecovery, inRecovery } from "../../lib/auth/flow_cookies.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { FormAlert, TextField } from "../../components/forms/Field.tsx";
import { NewPasswordField } from "../../components/forms/NewPasswordField.tsx";
import type { FieldErrors } from "../../lib/http/form_errors.ts";

const form = z.object({ password: newPasswordField, password_confirm: z.string() })
  .refine((v) => v.password === v.password_confirm, {
    path: ["password_confirm"],
    message: "form.error.passwordMismatch",
  });

function page(c: AppContext, state: { errors?: FieldErrors; problem?: { problem: AuthProblem } }) {
  const t = c.var.t;
  const errors = state.errors ?? {};
  const problem = state.problem && problemText(t, c.var.locale, state.problem.problem);
  return (
    <section class="card narrow auth-card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("auth.reset.title")}</h1>
      <p class="lead">{t("auth.reset.lead")}</p>
      <FormAlert kind="error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/auth/reset" novalidate>
        <NewPasswordField t={t} label={t("form.passwordNew")} error={errors.password && t(errors.password)} />
        <TextField
          name="password_confirm"
          type="password"
          label={t("form.passwordConfirm")}
          error={errors.password_confirm && t(errors.password_confirm)}
          autoComplete="new-password"
          dir="ltr"
          required
          autoFocus={!errors.password && !!errors.password_confirm}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.reset.submit")}</button>
        </div>
      </form>
    </section>
  );
}

/** Only right after a recovery link; a signed-in user changes the password on the profile page instead. */
function recoveryOnly(c: AppContext): Response | undefined {
  return inRecovery(c, c.var.user().sub) ? undefined : c.redirect("/profile#password", 303);
}

export const reset = userRoutes()
  .get(
    "/",
    (c) => recoveryOnly(c) ?? renderPage(c, page(c, {}), { title: c.var.t("auth.reset.title") }),
  )
  .post(
    "/",
    requireLiveSession,
    formValidator(
      form,
      (c, errors) =>
        recoveryOnly(c) ??
          renderPage(c, page(c, { errors }), { title: c.var.t("auth.reset.title"), status: 400 }),
    ),
    async (c) => {
      const redirect = recoveryOnly(c);
      if (redirect) return redirect;
      const { password } = c.req.valid("form");
      const outcome = await changePassword(
        c.var.auth(),
        c.var.user(),
        password,
        requestContext(c),
        "recovery",
      );
      if (!outcome.ok) {
        return renderProblem(c, outcome, page(c, { problem: outcome }), c.var.t("auth.reset.title"));
      }
      endRecovery(c);
      return c.redirect("/profile?notice=password_changed", 303);
    },
  );
