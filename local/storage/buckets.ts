/**
 * Bucket routes (spec §1.2): GET /bucket, GET|PUT|DELETE /bucket/{id}, POST /bucket, POST /bucket/{id}/empty,
 * each run as the caller so RLS on storage.buckets decides (service_role bypasses it).
 */
import type { Hono } from "hono";
import { callerOf, jsonBody, run, type StorageEmulator } from "./context.ts";
import {
  bucketAlreadyExists,
  fromDatabase,
  invalidBucketName,
  invalidMimeType,
  invalidRequest,
  noSuchBucket,
  StorageError,
} from "./errors.ts";

const BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;
const MIME_ENTRY = /^[a-zA-Z0-9\-+.]+\/[a-zA-Z0-9\-+.]+(;\s*charset=[a-zA-Z0-9\-]+)?$/;
const COLUMNS = "id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at";

/** `file_size_limit` as storage-api parses it (spec §1.6): bytes, or "20MB" style decimal units; null = none. */
export function parseFileSizeLimit(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  const match = typeof value === "string" ? value.match(/^(\d+(?:\.\d+)?)(GB|MB|KB|B)$/i) : null;
  if (!match) throw invalidRequest("Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B");
  const unit = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2].toUpperCase() as "B"];
  return Math.round(Number(Number(match[1]).toPrecision(3)) * unit);
}

function parseMimeTypes(value: unknown): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value)) throw invalidRequest("body/allowed_mime_types must be array");
  const list = value.filter((v) => v !== "");
  for (const entry of list) {
    if (
      typeof entry !== "string" || entry.length > 1000 || !(MIME_ENTRY.test(entry) || entry.endsWith("*"))
    ) {
      throw invalidMimeType(`Invalid mime type format: ${entry}`);
    }
  }
  return list;
}

function checkBucketName(name: unknown): string {
  if (typeof name !== "string" || name.length < 1 || name.length > 100 || name.trim() !== name) {
    throw invalidBucketName();
  }
  if (!BUCKET_NAME.test(name)) throw invalidBucketName();
  return name;
}

export function bucketRoutes(app: Hono, st: StorageEmulator): void {
  app.get("/bucket", async (c) => {
    const who = await callerOf(st, c);
    const q = c.req.query();
    const column = ["id", "name", "created_at", "updated_at"].includes(q.sortColumn ?? "")
      ? q.sortColumn
      : "name";
    const order = q.sortOrder === "desc" ? "desc" : "asc";
    const limit = q.limit ? Math.max(1, Number(q.limit) || 1) : null;
    const offset = Math.max(0, Number(q.offset) || 0);
    const rows = await run(st, c, who, "storage.bucket.list", (tx) =>
      tx.unsafe(
        `select ${COLUMNS}, type from storage.buckets
          where $1::text is null or name ilike '%' || $1 || '%'
          order by ${column} ${order} limit $2 offset $3`,
        [q.search ?? null, limit, offset],
      ));
    return c.json(rows);
  });

  app.get("/bucket/:id", async (c) => {
    const who = await callerOf(st, c);
    const [row] = await run(
      st,
      c,
      who,
      "storage.bucket.get",
      (tx) => tx.unsafe(`select ${COLUMNS} from storage.buckets where id = $1`, [c.req.param("id")]),
    );
    if (!row) throw noSuchBucket();
    return c.json(row);
  });

  app.post("/bucket", async (c) => {
    const who = await callerOf(st, c);
    const body = await jsonBody(c);
    const name = checkBucketName(body.name);
    const id = body.id === undefined ? name : checkBucketName(body.id);
    const sub = typeof who.claims.sub === "string" ? who.claims.sub : null;
    const owner = sub && /^[0-9a-f-]{36}$/i.test(sub) ? sub : null;
    const type = body.type === "ANALYTICS" ? "ANALYTICS" : "STANDARD";
    try {
      await run(
        st,
        c,
        who,
        "storage.bucket.create",
        (tx) =>
          tx`insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, type)
           values (${id}, ${name}, ${owner}, ${sub}, ${body.public === true},
                   ${parseFileSizeLimit(body.file_size_limit) ?? null},
                   ${parseMimeTypes(body.allowed_mime_types) ?? null}, ${type})`,
      );
    } catch (error) {
      throw fromDatabase(error, bucketAlreadyExists);
    }
    return c.json({ name });
  });

  app.put("/bucket/:id", async (c) => {
    const who = await callerOf(st, c);
    const body = await jsonBody(c);
    const sizeLimit = parseFileSizeLimit(body.file_size_limit);
    const mimeTypes = parseMimeTypes(body.allowed_mime_types);
    const isPublic = typeof body.public === "boolean" ? body.public : undefined;
    if (sizeLimit === undefined && mimeTypes === undefined && isPublic === undefined) {
      throw invalidRequest("body must have at least 1 properties");
    }
    const rows = await run(st, c, who, "storage.bucket.update", (tx) =>
      tx`update storage.buckets set
           public = case when ${isPublic === undefined} then public else ${isPublic ?? false} end,
           file_size_limit = case when ${sizeLimit === undefined} then file_size_limit else ${
        sizeLimit ?? null
      }::bigint end,
           allowed_mime_types = case when ${mimeTypes === undefined} then allowed_mime_types
                                     else ${mimeTypes ?? null}::text[] end,
           updated_at = now()
         where id = ${c.req.param("id")} returning id`).catch((e) => {
        throw fromDatabase(e);
      });
    if (rows.length === 0) throw noSuchBucket();
    return c.json({ message: "Successfully updated" });
  });

  app.post("/bucket/:id/empty", async (c) => {
    const who = await callerOf(st, c);
    const id = c.req.param("id");
    const removed = await run(st, c, who, "storage.bucket.empty", async (tx) => {
      const [bucket] = await tx`select id from storage.buckets where id = ${id}`;
      if (!bucket) throw noSuchBucket();
      return await tx<{ name: string }[]>`delete from storage.objects where bucket_id = ${id} returning name`;
    }).catch((e) => {
      throw fromDatabase(e);
    });
    for (const { name } of removed) await st.files.prune(id, name);
    return c.json({ message: "Empty bucket has been queued. Completion may take up to an hour." });
  });

  app.delete("/bucket/:id", async (c) => {
    const who = await callerOf(st, c);
    const id = c.req.param("id");
    await run(st, c, who, "storage.bucket.delete", async (tx) => {
      const [bucket] = await tx`select id from storage.buckets where id = ${id}`;
      if (!bucket) throw noSuchBucket();
      const [{ used }] = await st
        .sql`select exists (select from storage.objects where bucket_id = ${id}) as used`;
      if (used) {
        throw new StorageError(
          409,
          "ResourceNotEmpty",
          "ResourceNotEmpty",
          "The bucket you tried to delete is not empty",
        );
      }
      const deleted = await tx`delete from storage.buckets where id = ${id} returning id`;
      if (deleted.length === 0) throw noSuchBucket();
    }).catch((e) => {
      throw fromDatabase(e);
    });
    return c.json({ message: "Successfully deleted" });
  });
}
