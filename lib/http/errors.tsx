/** One place that maps errors to HTTP: JSON for API clients, an error page for browsers. */
import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import type { AppContext, AppEnv } from "./env.ts";
import type { MessageKey } from "../i18n/mod.ts";
import { renderPage } from "./render.tsx";

/** Base of the typed domain errors that lib/ modules throw; `status` and `code` say how to answer. */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Status = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500;

function wantsJson(c: AppContext): boolean {
  return c.req.path.startsWith("/api/") || !(c.req.header("accept") ?? "").includes("text/html");
}

const pageTitle: Partial<Record<Status, MessageKey>> = {
  403: "error.forbiddenTitle",
  404: "error.notFoundTitle",
};

const pageMessage: Partial<Record<Status, MessageKey>> = {
  400: "error.badRequest",
  403: "error.forbidden",
  404: "error.notFound",
  422: "error.badRequest",
};

function respond(c: AppContext, status: Status, code: string, message: string): Response {
  if (wantsJson(c)) return c.json({ error: { code, message } }, status);
  const t = c.var.t;
  return renderPage(
    c,
    <section class="card narrow error-page">
      <h1>{t(pageTitle[status] ?? "error.title")}</h1>
      <p>{t(pageMessage[status] ?? "error.internal")}</p>
      <p>
        <a href="/">{t("error.back")}</a>
      </p>
    </section>,
    { title: t(pageTitle[status] ?? "error.title"), status },
  );
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof DomainError) return respond(c, err.status, err.code, err.message);
  if (err instanceof HTTPException && err.status < 500) {
    if (err.res && err.status !== 400) return err.getResponse();
    return respond(c, err.status as Status, "bad_request", err.message || "Bad request");
  }
  console.error(
    JSON.stringify({ level: "error", requestId: c.var.requestId, error: String(err?.stack ?? err) }),
  );
  return respond(c, 500, "internal", "Internal error");
};

export const notFound: NotFoundHandler<AppEnv> = (c) => respond(c, 404, "not_found", "Not found");

/** The first problem zod found, as the field's path (or the whole target) and zod's message. */
export function firstIssue(
  error: { issues: { path: PropertyKey[]; message: string }[] },
  target: string,
): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue?.path.join(".") || target, message: issue?.message ?? "invalid" };
}

/** zod validation at the edge: a failure is a 400 naming the first bad field, never a 500. */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const { field, message } = firstIssue(result.error, target);
      return respond(c as unknown as AppContext, 400, "invalid_input", `${field}: ${message}`);
    }
  });
}
