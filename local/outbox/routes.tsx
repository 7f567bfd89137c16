/** /_dev/outbox: the messages the local provider sandboxes captured, as HTML and JSON. */
import { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import type { Sql } from "postgres";
import { getMessage, listMessages, type OutboxMessage } from "./store.ts";

const STYLE =
  `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#134e4a}
table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ccfbf1;text-align:start}
.body{white-space:pre-wrap;background:#f0fdfa;padding:1rem;border-radius:8px}iframe{width:100%;height:480px;border:1px solid #99f6e4}`;

function Page({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <h1 dir="auto">{title}</h1>
        {children}
      </body>
    </html>
  );
}

function MessageRow({ m }: { m: OutboxMessage }) {
  return (
    <tr>
      <td>
        <a href={`/_dev/outbox/${m.id}`}>#{m.id}</a>
      </td>
      <td>{m.channel}</td>
      <td>{m.recipient}</td>
      <td dir="auto">{m.subject ?? m.body_text?.slice(0, 60)}</td>
      <td>{new Date(m.created_at).toISOString()}</td>
    </tr>
  );
}

const html = (node: preact.VNode) => `<!doctype html>${renderToString(node)}`;

export function outboxRoutes(sql: Sql): Hono {
  return new Hono()
    .get("/messages.json", async (c) => {
      const messages = await listMessages(sql, {
        recipient: c.req.query("to"),
        limit: Number(c.req.query("limit") ?? 50),
      });
      return c.json({ messages });
    })
    .get("/", async (c) => {
      const messages = await listMessages(sql, { recipient: c.req.query("to") });
      return c.html(html(
        <Page title="Local outbox">
          <p>Email, SMS and WhatsApp messages sent by the local stack. Nothing leaves this machine.</p>
          {messages.length === 0 ? <p>No messages yet.</p> : (
            <table>
              <thead>
                <tr>
                  <th>id</th>
                  <th>channel</th>
                  <th>to</th>
                  <th>subject</th>
                  <th>at</th>
                </tr>
              </thead>
              <tbody>{messages.map((m) => <MessageRow key={m.id} m={m} />)}</tbody>
            </table>
          )}
        </Page>,
      ));
    })
    .get("/:id{[0-9]+}", async (c) => {
      const message = await getMessage(sql, Number(c.req.param("id")));
      if (!message) return c.text("no such message", 404);
      return c.html(html(
        <Page title={message.subject ?? `${message.channel} to ${message.recipient}`}>
          <p>
            <a href="/_dev/outbox">← all messages</a> · {message.channel} via {message.provider} to{" "}
            <strong>{message.recipient}</strong>
          </p>
          {message.body_html
            ? (
              <iframe
                sandbox="allow-top-navigation-by-user-activation allow-popups"
                srcdoc={message.body_html}
              />
            )
            : (
              // A Persian message reads right to left (the page around it is English).
              <div class="body" dir="auto">{message.body_text}</div>
            )}
        </Page>,
      ));
    });
}
