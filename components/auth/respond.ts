/** Answering a form with an auth problem: the status, Retry-After when limited, and the page again. */
import type { ComponentChildren } from "preact";
import type { AppContext } from "../../lib/http/env.ts";
import { type PageResponse, renderPage } from "../render.tsx";
import { problemStatus } from "../../lib/auth/notices.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";

export function renderProblem(
  c: AppContext,
  outcome: { problem: AuthProblem; retryAfter?: number },
  body: ComponentChildren,
  title: string,
): PageResponse {
  if (outcome.problem === "rate_limited") c.header("Retry-After", String(outcome.retryAfter ?? 60));
  return renderPage(c, body, { title, status: problemStatus(outcome.problem) });
}
