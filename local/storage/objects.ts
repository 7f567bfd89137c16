/**
 * Object routes (spec §1.3): upload (POST, x-upsert) and update (PUT), download (plain, /authenticated,
 * /public), info, list, remove, and signed download URLs. Bucket lookups run as superuser; everything the
 * caller does to storage.objects runs under their claims so RLS decides, as on hosted.
 */
import type { Context, Hono } from "hono";
import { SignJWT } from "jose";
import { jwtVerify } from "jose";
import { createHash } from "node:crypto";
import type { Caller } from "./caller.ts";
import { ownerOf } from "./caller.ts";
import { callerOf, jsonBody, run, type StorageEmulator } from "./context.ts";
import {
  entityTooLarge,
  fromDatabase,
  invalidJwt,
  invalidMimeType,
  invalidRequest,
  invalidSignature,
  noSuchBucket,
  noSuchKey,
} from "./errors.ts";
import { checkKey } from "./files.ts";
import { parseMultipart } from "./multipart.ts";

interface Bucket {
  id: string;
  public: boolean;
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
}

interface ObjectRow {
  id: string;
  name: string;
  version: string | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

/** `{bucket}/{key}` after `marker` in the request path, percent-decoded. */
function target(c: Context, marker: string): { bucket: string; key: string } {
  const path = new URL(c.req.url).pathname;
  const rest = path.slice(path.indexOf(marker) + marker.length);
  const slash = rest.indexOf("/");
  let bucket: string, key: string;
  try {
    bucket = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
    key = slash < 0 ? "" : decodeURIComponent(rest.slice(slash + 1));
  } catch {
    throw invalidRequest("Invalid path");
  }
  return { bucket, key };
}

async function findBucket(st: StorageEmulator, id: string): Promise<Bucket> {
  const [bucket] = await st.sql<Bucket[]>`
    select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = ${id}`;
  if (!bucket) throw noSuchBucket();
  return bucket;
}

/** uploader.ts validateMimeType: raw `type/subtype` (parameters stay in the subtype), `type/*` wildcards. */
export function checkMimeType(mimetype: string, allowed: string[] | null): void {
  if (!allowed || allowed.length === 0) return;
  const [type, subtype] = mimetype.split("/");
  if (subtype === undefined) throw invalidMimeType("Invalid Content-Type header");
  const ok = allowed.some((entry) => {
    const [t, s] = entry.split("/");
    return t === type && (s === "*" || s === subtype);
  });
  if (!ok) throw invalidMimeType(`mime type ${mimetype} is not supported`);
}

interface UploadBody {
  bytes: Uint8Array;
  mimetype: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
}

/** Reads a multipart (Blob/File/FormData) or raw upload body as the server does (spec §1.3 upload bodies). */
async function uploadBody(c: Context): Promise<UploadBody> {
  const contentType = c.req.header("content-type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const parts = parseMultipart(contentType, new Uint8Array(await c.req.arrayBuffer())) ?? [];
    const field = (name: string) => {
      const part = parts.find((p) => p.name === name && p.filename === undefined);
      return part ? new TextDecoder().decode(part.data) : undefined;
    };
    const file = parts.find((p) => p.filename !== undefined);
    if (!file) throw invalidRequest("No content provided");
    const cacheControl = field("cacheControl");
    let userMetadata: Record<string, unknown> | null = null;
    const metadata = field("metadata");
    if (metadata !== undefined) {
      if (metadata.length > 1024 * 1024) throw entityTooLarge();
      try {
        userMetadata = JSON.parse(metadata);
      } catch { /* invalid metadata is ignored */ }
    }
    return {
      bytes: file.data,
      mimetype: field("contentType") || file.type || "",
      cacheControl: cacheControl ? `max-age=${cacheControl}` : "no-cache",
      userMetadata,
    };
  }
  let userMetadata: Record<string, unknown> | null = null;
  const header = c.req.header("x-metadata");
  if (header) {
    try {
      userMetadata = JSON.parse(
        new TextDecoder().decode(Uint8Array.from(atob(header), (ch) => ch.charCodeAt(0))),
      );
    } catch { /* invalid metadata is ignored */ }
  }
  return {
    bytes: new Uint8Array(await c.req.arrayBuffer()),
    mimetype: contentType || "application/octet-stream",
    cacheControl: c.req.header("cache-control") || "no-cache",
    userMetadata,
  };
}

function objectMetadata(body: UploadBody, now: Date) {
  return {
    eTag: `"${createHash("md5").update(body.bytes).digest("hex")}"`,
    size: body.bytes.byteLength,
    mimetype: body.mimetype,
    cacheControl: body.cacheControl,
    lastModified: now.toISOString(),
    contentLength: body.bytes.byteLength,
    httpStatusCode: 200,
  };
}

const INSERT =
  `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version, user_metadata)
                values ($1, $2, $3::uuid, $4, $5::jsonb, $6, $7::jsonb)`;
const UPSERT = `${INSERT} on conflict (name, bucket_id) do update set
                  owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
                  version = excluded.version, user_metadata = excluded.user_metadata, last_accessed_at = now()`;

/** Upload checks in the server's order (spec §1.3), then bytes on disk and the row upserted as superuser. */
async function upload(st: StorageEmulator, c: Context, upsert: boolean): Promise<Response> {
  const who = await callerOf(st, c);
  const { bucket: bucketId, key } = target(c, "/object/");
  checkKey(key);
  const bucket = await findBucket(st, bucketId);
  const limit = bucket.file_size_limit === null ? null : Number(bucket.file_size_limit);
  const placeholder = key.endsWith(".emptyFolderPlaceholder");
  const body = await uploadBody(c);
  if (!placeholder) checkMimeType(body.mimetype, bucket.allowed_mime_types);
  const cap = placeholder ? 0 : limit;
  if (cap !== null && body.bytes.byteLength > cap) throw entityTooLarge();

  const now = st.now();
  const metadata = objectMetadata(body, now);
  const version = crypto.randomUUID();
  const { owner, owner_id } = ownerOf(who);
  const params = [
    bucketId,
    key,
    owner,
    owner_id,
    metadata,
    version,
    body.userMetadata,
  ] as never[];
  const write = upsert ? UPSERT : INSERT;
  // RLS: the caller's insert (or upsert), rolled back; storage-api does the same test write.
  const rolledBack = new Error("rollback");
  await run(st, c, who, upsert ? "storage.object.upload_upsert" : "storage.object.upload", async (tx) => {
    await tx.unsafe(upsert ? `${write} returning *` : write, params);
    throw rolledBack;
  }).catch((error) => {
    if (error !== rolledBack) throw fromDatabase(error);
  });

  await st.files.write(bucketId, key, version, body.bytes);
  let saved: { id: string }[];
  try {
    saved = await st.sql.unsafe<{ id: string }[]>(`${write} returning id`, params);
  } catch (error) {
    await st.files.discard(bucketId, key, version).catch(() => {});
    throw fromDatabase(error);
  }
  await st.files.prune(bucketId, key, version);
  return c.json({ Id: saved[0].id, Key: `${bucketId}/${key}` });
}

/** The object's bytes with storage-api's headers; `expires` replaces Cache-Control on signed reads. */
async function sendObject(
  st: StorageEmulator,
  c: Context,
  bucketId: string,
  row: ObjectRow,
  expires?: number,
): Promise<Response> {
  const bytes = row.version
    ? await st.files.read(bucketId, row.name, row.version) as Uint8Array<ArrayBuffer> | null
    : null;
  if (!bytes) throw noSuchKey();
  const meta = row.metadata ?? {};
  const headers = new Headers({
    "Content-Type": String(meta.mimetype ?? "application/octet-stream"),
    "Content-Length": String(bytes.byteLength),
    "ETag": String(meta.eTag ?? ""),
    "Last-Modified": new Date(row.updated_at).toUTCString(),
    "Accept-Ranges": "bytes",
    "X-Robots-Tag": "none",
  });
  if (expires !== undefined) headers.set("Expires", new Date(expires * 1000).toUTCString());
  else headers.set("Cache-Control", String(meta.cacheControl ?? "no-cache"));
  const download = c.req.query("download");
  if (download !== undefined) {
    const name = encodeURIComponent(download);
    headers.set(
      "Content-Disposition",
      download ? `attachment; filename=${name}; filename*=UTF-8''${name}` : "attachment;",
    );
  }
  const range = c.req.header("range")?.match(/^bytes=(\d*)-(\d*)$/);
  if (range && (range[1] || range[2])) {
    const size = bytes.byteLength;
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start <= end && start < size) {
      headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
      headers.set("Content-Length", String(end - start + 1));
      return new Response(c.req.method === "HEAD" ? null : bytes.slice(start, end + 1), {
        status: 206,
        headers,
      });
    }
  }
  return new Response(c.req.method === "HEAD" ? null : bytes, { status: 200, headers });
}

const ROW = "id, name, version, metadata, user_metadata, created_at, updated_at";

/** The object as the caller sees it under RLS SELECT; a missing or hidden row is NoSuchKey. */
async function visibleObject(
  st: StorageEmulator,
  c: Context,
  who: Caller,
  operation: string,
  bucketId: string,
  key: string,
): Promise<ObjectRow> {
  const [row] = await run(
    st,
    c,
    who,
    operation,
    (tx) =>
      tx.unsafe<ObjectRow[]>(`select ${ROW} from storage.objects where bucket_id = $1 and name = $2`, [
        bucketId,
        key,
      ]),
  ).catch((e) => {
    throw fromDatabase(e);
  });
  if (!row) throw noSuchKey();
  return row;
}

async function download(st: StorageEmulator, c: Context, marker: string, tolerant: boolean) {
  const who = await callerOf(st, c, tolerant);
  const { bucket: bucketId, key } = target(c, marker);
  const bucket = await findBucket(st, bucketId);
  if (bucket.public) {
    const [row] = await st.sql.unsafe<ObjectRow[]>(
      `select ${ROW} from storage.objects where bucket_id = $1 and name = $2`,
      [bucketId, key],
    );
    if (!row) throw noSuchKey();
    return await sendObject(st, c, bucketId, row);
  }
  if (who.role === "anon" && tolerant) throw noSuchBucket();
  return await sendObject(
    st,
    c,
    bucketId,
    await visibleObject(st, c, who, "storage.object.get", bucketId, key),
  );
}

async function signToken(st: StorageEmulator, url: string, expiresIn: number): Promise<string> {
  const iat = Math.floor(st.now().getTime() / 1000);
  return await new SignJWT({ url, scope: "download" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresIn)
    .sign(new TextEncoder().encode(st.keys.jwtSecret));
}

function expiresIn(body: Record<string, unknown>): number {
  const value = Number(body.expiresIn);
  if (!Number.isInteger(value) || value < 1) throw invalidRequest("body/expiresIn must be >= 1");
  return value;
}

export function objectRoutes(app: Hono, st: StorageEmulator): void {
  app.post("/object/list/:bucket", async (c) => {
    const who = await callerOf(st, c);
    const bucketId = c.req.param("bucket");
    const body = await jsonBody(c);
    if (typeof body.prefix !== "string") throw invalidRequest("body must have required property 'prefix'");
    const limit = body.limit === undefined ? 100 : Number(body.limit);
    const offset = body.offset === undefined ? 0 : Number(body.offset);
    if (!Number.isInteger(limit) || limit < 1) throw invalidRequest("body/limit must be >= 1");
    if (!Number.isInteger(offset) || offset < 0) throw invalidRequest("body/offset must be >= 0");
    const sortBy = (body.sortBy ?? {}) as { column?: string; order?: string };
    const column = sortBy.column ?? "name";
    if (!["name", "updated_at", "created_at", "last_accessed_at"].includes(column)) {
      throw invalidRequest("body/sortBy/column must be equal to one of the allowed values");
    }
    const order = String(sortBy.order ?? "asc").toLowerCase() === "desc" ? "desc" : "asc";
    const prefix = body.prefix === "" || body.prefix.endsWith("/") ? body.prefix : `${body.prefix}/`;
    const level = prefix === "" ? 1 : prefix.split("/").length;
    const search = typeof body.search === "string" ? body.search : "";
    await findBucket(st, bucketId);
    const orderBy = column === "name"
      ? `lower(name) ${order}, name ${order}`
      : `(id is null) desc, ${column} ${order}, lower(name)`;
    const rows = await run(st, c, who, "storage.object.list", (tx) =>
      tx.unsafe(
        `with matched as (
           select path_tokens, id, updated_at, created_at, last_accessed_at, metadata from storage.objects
            where bucket_id = $1 and starts_with(lower(name), lower($2 || $3))
         ), entries as (
           select distinct path_tokens[$4] as name, null::uuid as id, null::timestamptz as updated_at,
                  null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
             from matched where array_length(path_tokens, 1) > $4
           union all
           select path_tokens[$4], id, updated_at, created_at, last_accessed_at, metadata
             from matched where array_length(path_tokens, 1) = $4
         )
         select * from entries order by ${orderBy} limit least($5::int, 1500) offset $6`,
        [bucketId, prefix, search, level, limit, offset],
      )).catch((e) => {
        throw fromDatabase(e);
      });
    return c.json(rows);
  });

  app.post("/object/sign/:bucket", async (c) => {
    const who = await callerOf(st, c);
    const bucketId = c.req.param("bucket");
    const body = await jsonBody(c);
    const seconds = expiresIn(body);
    const paths = body.paths;
    if (!Array.isArray(paths) || paths.length < 1 || paths.length > 1000) {
      throw invalidRequest("body/paths must NOT have fewer than 1 items");
    }
    const visible = await run(
      st,
      c,
      who,
      "storage.object.sign_urls",
      (tx) =>
        tx<{ name: string }[]>`select name from storage.objects
                              where bucket_id = ${bucketId} and name = any(${paths.map(String)})`,
    );
    const names = new Set(visible.map((r) => r.name));
    return c.json(
      await Promise.all(paths.map(async (path) => {
        const name = String(path);
        if (!names.has(name)) {
          return {
            error: "Either the object does not exist or you do not have access to it",
            path: name,
            signedURL: null,
          };
        }
        const url = `${bucketId}/${name}`;
        return {
          error: null,
          path: name,
          signedURL: `/object/sign/${url}?token=${await signToken(st, url, seconds)}`,
        };
      })),
    );
  });

  app.post("/object/sign/:bucket/*", async (c) => {
    const who = await callerOf(st, c);
    const { bucket: bucketId, key } = target(c, "/object/sign/");
    const seconds = expiresIn(await jsonBody(c));
    await visibleObject(st, c, who, "storage.object.sign", bucketId, key);
    const url = `${bucketId}/${key}`;
    return c.json({ signedURL: `/object/sign/${url}?token=${await signToken(st, url, seconds)}` });
  });

  app.get("/object/sign/:bucket/*", async (c) => {
    const { bucket: bucketId, key } = target(c, "/object/sign/");
    const token = c.req.query("token");
    if (!token) throw invalidRequest("querystring must have required property 'token'");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(st.keys.jwtSecret), {
        algorithms: ["HS256"],
        currentDate: st.now(),
        clockTolerance: 0,
      }));
    } catch (error) {
      throw invalidJwt((error as Error).message);
    }
    if (payload.scope !== undefined ? payload.scope !== "download" : payload.upsert !== undefined) {
      throw invalidSignature("Token is not scoped for download");
    }
    if (payload.url !== `${bucketId}/${key}`) throw invalidSignature();
    const [row] = await st.sql.unsafe<ObjectRow[]>(
      `select ${ROW} from storage.objects where bucket_id = $1 and name = $2`,
      [bucketId, key],
    );
    if (!row) throw noSuchKey();
    return await sendObject(st, c, bucketId, row, Number(payload.exp));
  });

  app.get("/object/info/:bucket/*", async (c) => {
    const who = await callerOf(st, c);
    const { bucket: bucketId, key } = target(c, "/object/info/");
    await findBucket(st, bucketId);
    const row = await visibleObject(st, c, who, "storage.object.info", bucketId, key);
    const meta = row.metadata ?? {};
    return c.json({
      id: row.id,
      name: row.name,
      version: row.version,
      bucket_id: bucketId,
      size: meta.size ?? null,
      content_type: meta.mimetype ?? null,
      cache_control: meta.cacheControl ?? null,
      etag: meta.eTag ?? null,
      metadata: row.user_metadata,
      last_modified: row.updated_at,
      created_at: row.created_at,
    });
  });

  app.get("/object/authenticated/:bucket/*", (c) => download(st, c, "/object/authenticated/", false));
  app.get("/object/public/:bucket/*", async (c) => {
    const { bucket: bucketId } = target(c, "/object/public/");
    if (!(await findBucket(st, bucketId)).public) throw noSuchBucket();
    return await download(st, c, "/object/public/", true);
  });
  app.get("/object/:bucket/*", (c) => download(st, c, "/object/", true));

  app.post("/object/:bucket/*", (c) => upload(st, c, c.req.header("x-upsert") === "true"));
  app.put("/object/:bucket/*", (c) => upload(st, c, true));

  app.delete("/object/:bucket", async (c) => {
    const who = await callerOf(st, c);
    const bucketId = c.req.param("bucket");
    const { prefixes } = await jsonBody(c);
    if (!Array.isArray(prefixes) || prefixes.length < 1 || prefixes.length > 1000) {
      throw invalidRequest("body/prefixes must NOT have fewer than 1 items");
    }
    await findBucket(st, bucketId);
    const deleted = await run(
      st,
      c,
      who,
      "storage.object.delete",
      (tx) =>
        tx<(ObjectRow & { bucket_id: string })[]>`
        delete from storage.objects where bucket_id = ${bucketId} and name = any(${prefixes.map(String)})
        returning id, bucket_id, name, owner, owner_id, version, created_at, updated_at, last_accessed_at,
                  metadata, user_metadata`,
    ).catch((e) => {
      throw fromDatabase(e);
    });
    for (const row of deleted) await st.files.prune(bucketId, row.name);
    return c.json(deleted);
  });
}
