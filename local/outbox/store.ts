/** Reads and writes the local outbox (_dev.outbox): messages the provider sandboxes captured. */
import type postgres from "postgres";
import type { Sql } from "postgres";

export interface OutboxMessage {
  id: number;
  channel: "email" | "sms" | "whatsapp";
  provider: string;
  recipient: string;
  sender: string | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

export type NewOutboxMessage = Omit<OutboxMessage, "id" | "created_at" | "metadata"> & {
  metadata?: Record<string, unknown>;
};

export async function recordMessage(sql: Sql, message: NewOutboxMessage): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into _dev.outbox (channel, provider, recipient, sender, subject, body_text, body_html, metadata)
    values (${message.channel}, ${message.provider}, ${message.recipient}, ${message.sender},
            ${message.subject}, ${message.body_text}, ${message.body_html}, ${
    sql.json((message.metadata ?? {}) as postgres.JSONValue)
  })
    returning id`;
  return Number(row.id);
}

/** Newest first; `recipient` narrows to one address or number. */
export async function listMessages(sql: Sql, filter: { recipient?: string; limit?: number } = {}) {
  const limit = Math.min(filter.limit ?? 50, 200);
  return await sql<OutboxMessage[]>`
    select * from _dev.outbox
    where ${filter.recipient ? sql`lower(recipient) = lower(${filter.recipient})` : sql`true`}
    order by id desc limit ${limit}`;
}

export async function getMessage(sql: Sql, id: number): Promise<OutboxMessage | undefined> {
  const [row] = await sql<OutboxMessage[]>`select * from _dev.outbox where id = ${id}`;
  return row;
}
