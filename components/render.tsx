/** Server-side rendering of a page inside the layout, as a complete HTML document. */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { Layout } from "./Layout.tsx";
import type { AppContext } from "../lib/http/env.ts";

export interface PageOptions {
  title: string;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
}

export function renderPage(c: AppContext, body: ComponentChildren, options: PageOptions): Response {
  const html = renderToString(
    <Layout
      locale={c.var.locale}
      title={options.title}
      path={c.req.path}
      t={c.var.t}
      viewer={c.var.viewer}
      unread={c.var.unreadNotifications}
    >
      {body}
    </Layout>,
  );
  return c.html(`<!doctype html>${html}`, options.status ?? 200);
}
