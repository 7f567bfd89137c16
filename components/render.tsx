/** Server-side rendering of a page inside the layout, as a complete HTML document. */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { Layout } from "./Layout.tsx";
import type { AppContext } from "../lib/http/env.ts";

export interface PageOptions {
  title: string;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
}

/** A rendered page: at once, or after reading the bell's count (see renderPage). */
export type PageResponse = Response | Promise<Response>;

// Variables are read with c.get: Hono's c.var copies every request variable into a new object on each access,
// and this runs for every page.
function render(c: AppContext, body: ComponentChildren, options: PageOptions): Response {
  const html = renderToString(
    <Layout
      locale={c.get("locale")}
      title={options.title}
      path={c.req.path}
      t={c.get("t")}
      viewer={c.get("viewer")}
      unread={c.get("unreadNotifications")}
    >
      {body}
    </Layout>,
  );
  return c.html(`<!doctype html>${html}`, options.status ?? 200);
}

/**
 * The page as a response. The header's bell count usually came with the page's own reads
 * (lib/notifications/bell.ts); a signed-in page that read nothing reads it here first.
 */
export function renderPage(c: AppContext, body: ComponentChildren, options: PageOptions): PageResponse {
  const load = c.get("loadUnreadNotifications");
  if (c.get("viewer") && c.get("unreadNotifications") === undefined && load) {
    return load().then(
      (unread) => {
        c.set("unreadNotifications", unread);
        return render(c, body, options);
      },
      (error) => {
        // The page (often the error page itself) is ready: shown without the count, which the bell's live
        // feed then brings, rather than not at all.
        console.error(JSON.stringify({
          level: "error",
          requestId: c.get("requestId"),
          error: String((error as Error)?.stack ?? error),
        }));
        return render(c, body, options);
      },
    );
  }
  return render(c, body, options);
}
