/** Help desk helpers for tests: a department of one's own, agents in it (round-robin), multipart posts. */
import { sql } from "kysely";
import { db } from "../../lib/db/client.ts";
import type { Client } from "../integration/auth_http_client.ts";

/** A department of its own (letters only, as the code check wants), so parallel tests cannot take turns in it. */
export async function department(prefix = "test"): Promise<{ id: number; code: string }> {
  const code = `${prefix}_` +
    Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => "abcdefghij"[b % 10]).join("");
  const { rows } = await sql<{ id: number }>`insert into public.ticket_departments (code, name_fa, name_en)
    values (${code}, ${code}, ${code}) returning id`.execute(db());
  return { id: rows[0].id, code };
}

/** Makes `agentId` an agent of the department, available for round-robin or not. */
export async function joinDepartment(agentId: string, departmentId: number, available = true) {
  await sql`insert into public.ticket_agents (user_id, available) values (${agentId}, ${available})
    on conflict (user_id) do update set available = excluded.available`.execute(db());
  await sql`insert into public.ticket_agent_departments (user_id, department_id)
    values (${agentId}, ${departmentId})`.execute(db());
}

/** Posts a multipart form (fields and `files`) as a browser would, same-origin. */
export function multipart(client: Client, path: string, fields: Record<string, string>, files: File[] = []) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  for (const file of files) body.append("files", file);
  return client.request(path, { method: "POST", body, headers: { origin: new URL(client.base).origin } });
}
