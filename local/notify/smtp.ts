/**
 * A local SMTP stand-in (the failover behind Resend): speaks enough RFC 5321 for nodemailer (EHLO, MAIL FROM,
 * RCPT TO, DATA, RSET, NOOP, QUIT; no TLS, no auth) and captures each message into _dev.outbox through the
 * sandbox state, with the X-Outbox-Id header as its outbox id. Faults: the state's "smtp" settings (a failure
 * answers 451, a retryable error). Listens on a free loopback port.
 */
import { simpleParser } from "mailparser";
import { type SandboxState } from "./capture.ts";

export interface SmtpStandIn {
  url: string;
  stop(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function startSmtpStandIn(state: SandboxState): SmtpStandIn {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections = new Set<Deno.Conn>();
  let messageId = 0;
  const serve = async (conn: Deno.Conn) => {
    connections.add(conn);
    (conn as Deno.TcpConn).setNoDelay(true); // each reply is one write; nothing to gain from Nagle
    const write = (line: string) => conn.write(encoder.encode(`${line}\r\n`));
    let buffer = "";
    let inData = false;
    let recipients: string[] = [];
    let from = "";
    try {
      await write("220 pishkhan-local ESMTP");
      const chunk = new Uint8Array(64 * 1024);
      while (true) {
        const n = await conn.read(chunk);
        if (n === null) break;
        buffer += decoder.decode(chunk.subarray(0, n));
        while (true) {
          if (inData) {
            const end = buffer.indexOf("\r\n.\r\n");
            if (end < 0) break;
            const raw = buffer.slice(0, end).replace(/\r\n\.\./g, "\r\n.");
            buffer = buffer.slice(end + 5);
            inData = false;
            if (await state.injectFault("smtp")) {
              await write("451 4.3.0 Temporary local problem, try again");
            } else {
              const id = `<${++messageId}.${crypto.randomUUID()}@pishkhan.local>`;
              // The MIME message decoded (multipart/alternative, encoded words, quoted-printable): the outbox
              // shows what a mail client would.
              const parsed = await simpleParser(raw);
              state.capture({
                channel: "email",
                provider: "smtp",
                recipient: recipients.join(", "),
                sender: from,
                subject: parsed.subject ?? null,
                body_text: parsed.text ?? null,
                body_html: typeof parsed.html === "string" ? parsed.html : null,
                outbox_id: (parsed.headers.get("x-outbox-id") as string | undefined) ?? null,
                provider_message_id: id,
              });
              await write(`250 2.0.0 Ok: queued as ${id}`);
            }
            recipients = [];
            continue;
          }
          const eol = buffer.indexOf("\r\n");
          if (eol < 0) break;
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === "EHLO") await write("250-pishkhan-local\r\n250-8BITMIME\r\n250 SMTPUTF8");
          else if (verb === "HELO") await write("250 pishkhan-local");
          else if (verb === "MAIL") {
            from = /<([^>]*)>/.exec(line)?.[1] ?? "";
            await write("250 2.1.0 Ok");
          } else if (verb === "RCPT") {
            const to = /<([^>]*)>/.exec(line)?.[1] ?? "";
            if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to) || to.startsWith("bounced@")) {
              await write("550 5.1.1 Recipient address rejected: user unknown");
            } else {
              recipients.push(to);
              await write("250 2.1.5 Ok");
            }
          } else if (verb === "DATA") {
            if (recipients.length === 0) await write("554 5.5.1 No valid recipients");
            else {
              inData = true;
              await write("354 End data with <CR><LF>.<CR><LF>");
            }
          } else if (verb === "RSET") {
            recipients = [];
            await write("250 2.0.0 Ok");
          } else if (verb === "NOOP") await write("250 2.0.0 Ok");
          else if (verb === "QUIT") {
            await write("221 2.0.0 Bye");
            conn.close();
            return;
          } else await write("502 5.5.2 Command not recognized");
        }
      }
    } catch {
      // the client went away
    } finally {
      connections.delete(conn);
      try {
        conn.close();
      } catch { /* closed */ }
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) serve(conn);
    } catch { /* listener closed */ }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `smtp://127.0.0.1:${port}`,
    async stop() {
      listener.close();
      for (const conn of connections) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await accepting;
    },
  };
}
