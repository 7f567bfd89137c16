/** The tags in use on the staff queue (RLS: staff with tickets.manage see the tickets), for its tag filter. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";

/** Distinct tags of the tickets the caller may see, alphabetically (at most `limit`). */
export async function queueTags(tx: Tx, limit = 200): Promise<string[]> {
  const { rows } = await sql<{ tag: string }>`
    select distinct tag from public.tickets, unnest(tags) as tag
    where merged_into is null order by tag limit ${limit}`.execute(tx);
  return rows.map((r) => r.tag);
}

/** A tag as the filter compares it: tags are stored trimmed and in lower case (tickets.set_tags). */
export function normalTag(value: string): string {
  return value.trim().toLowerCase();
}
