// routes/auth/reset.tsx — GET/POST /auth/reset (choose a new password after following a recovery link)
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { newPasswordField } from "../../lib/auth/fields.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { changePassword } from "../../lib/auth/password.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { requireLiveSession, userRoutes } from "../../lib/auth/guards.ts";
import { endRecovery, inRecovery } from "../../lib/auth/flow_cookies.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { ResetPage, type ResetState } from "../../components/auth/ResetPage.tsx";

const form = z.object({ password: newPasswordField, password_confirm: text() })
  .refine((v) => v.password === v.password_confirm, {
    path: ["password_confirm"],
    message: "form.error.passwordMismatch",
  });

const page = (c: AppContext, state: ResetState) => (
  <ResetPage t={c.var.t} locale={c.var.locale} state={state} />
);

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
