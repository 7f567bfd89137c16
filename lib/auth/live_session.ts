/** Whether an Auth session is still live, asked of the database (public.session_is_live) in one statement. */
import { sql } from "kysely";
import { db } from "../db/client.ts";

export async function sessionIsLive(sessionId: string, userId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
  const { rows } = await sql<
    { live: boolean }
  >`select public.session_is_live(${sessionId}::uuid, ${userId}::uuid) as live`
    .execute(db());
  return rows[0]?.live === true;
}
