// routes/auth/_email_link_route.tsx — the shape shared by "email me a link" pages (password reset, magic link)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { emailField } from "../../lib/auth/fields.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { appOrigin } from "../../lib/auth/supabase.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import type { RequestContext } from "../../lib/audit/record.ts";
import type { AuthClient } from "../../lib/auth/supabase.ts";
import type { AuthProblem, Outcome } from "../../lib/auth/problems.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { EmailOnlyForm } from "../../components/auth/EmailOnlyForm.tsx";
import type { FieldErrors } from "../../lib/http/form_errors.ts";

export interface EmailLinkRouteOptions {
  /** Page id and message prefix: `auth.<name>.title`, `.lead`, `.submit`; served at /auth/<name>. */
  name: "forgot" | "magic";
  send: (client: AuthClient, email: string, callbackUrl: string, context: RequestContext) => Promise<Outcome>;
  /** Which "check your inbox" page follows (/auth/sent?kind=…). */
  sentKind: "recovery" | "magic";
}

const form = z.object({ email: emailField });

type PageState = {
  email?: string;
  errors?: FieldErrors;
  problem?: { problem: AuthProblem; retryAfter?: number };
};

/** GET shows the form; POST asks Auth to email the link (rate-limited) and moves on to the "sent" page. */
export function emailLinkRoute({ name, send, sentKind }: EmailLinkRouteOptions) {
  const path = `/auth/${name}`;
  const title = (c: AppContext) => c.var.t(`auth.${name}.title`);
  const page = (c: AppContext, state: PageState) => {
    const t = c.var.t;
    return (
      <EmailOnlyForm
        t={t}
        id={name}
        action={path}
        title={t(`auth.${name}.title`)}
        lead={t(`auth.${name}.lead`)}
        submit={t(`auth.${name}.submit`)}
        email={state.email}
        emailError={state.errors?.email && t(state.errors.email)}
        hasErrors={!!state.errors}
        problem={state.problem &&
          problemText(t, c.var.locale, state.problem.problem, state.problem.retryAfter)}
      />
    );
  };
  return new Hono<AppEnv>()
    .get("/", (c) => renderPage(c, page(c, {}), { title: title(c) }))
    .post(
      "/",
      formValidator(
        form,
        (c, errors, values) =>
          renderPage(c, page(c, { errors, email: values.email }), { title: title(c), status: 400 }),
      ),
      async (c) => {
        const { email } = c.req.valid("form");
        const outcome = await send(c.var.auth(), email, `${appOrigin(c)}/auth/callback`, requestContext(c));
        if (!outcome.ok) return renderProblem(c, outcome, page(c, { email, problem: outcome }), title(c));
        return c.redirect(`/auth/sent?kind=${sentKind}`, 303);
      },
    );
}
