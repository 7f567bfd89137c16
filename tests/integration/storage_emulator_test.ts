/**
 * The Storage stand-in through supabase-js `storage`, as the Auth emulator is tested: buckets with limits
 * (service role), an RLS policy on storage.objects made here (users write and read under a folder named by
 * their uid), owner round trips, a stranger and anon refused with hosted's error shapes, signed URLs, limits.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { assert, assertEquals } from "@std/assert";
import { serveStorage } from "../../local/storage/testing.ts";

const PASSWORD = "Correct-Horse-9";
const st = await serveStorage();
const BUCKET = `st-test-${crypto.randomUUID().slice(0, 8)}`;
const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };
const admin = createClient(st.url, st.keys.secretKey, options);

async function signedIn(name: string): Promise<{ sb: SupabaseClient; id: string }> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assertEquals(created.error, null);
  const sb = createClient(st.url, st.keys.publishableKey, options);
  assertEquals((await sb.auth.signInWithPassword({ email, password: PASSWORD })).error, null);
  return { sb, id: created.data.user!.id };
}

const created = await admin.storage.createBucket(BUCKET, {
  public: false,
  fileSizeLimit: "1KB",
  allowedMimeTypes: ["text/*", "image/png", "application/pdf"],
});
assertEquals(created, { data: { name: BUCKET }, error: null });
// The test's policy, as an app migration would write it: own folder only, for every operation.
const own = `bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid()::text)`;
await st.sql.unsafe(`
  create policy "${BUCKET} insert" on storage.objects for insert to authenticated with check (${own});
  create policy "${BUCKET} select" on storage.objects for select to authenticated using (${own});
  create policy "${BUCKET} update" on storage.objects for update to authenticated using (${own}) with check (${own});
  create policy "${BUCKET} delete" on storage.objects for delete to authenticated using (${own});`);
const owner = await signedIn("owner");
const stranger = await signedIn("stranger");
const anon = createClient(st.url, st.keys.publishableKey, options);

addEventListener("unload", () => {
  void (async () => {
    for (const op of ["insert", "select", "update", "delete"]) {
      await st.sql.unsafe(`drop policy if exists "${BUCKET} ${op}" on storage.objects`);
    }
    await st.stop();
  })();
});

/** The error fields supabase-js exposes: HTTP status, the body's statusCode and code, the message. */
function shape(error: unknown) {
  const e = error as { status?: number; statusCode?: string; code?: string; message?: string } | null;
  return e && { status: e.status, statusCode: e.statusCode, code: e.code, message: e.message };
}

async function versionFiles(key: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(`${st.root}/${BUCKET}/${key}`)) if (e.isFile) names.push(e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

Deno.test("[storage] buckets — created with limits by the service role, read back; duplicates and users refused", async () => {
  const got = await admin.storage.getBucket(BUCKET);
  assertEquals(got.error, null);
  assertEquals(got.data!.id, BUCKET);
  assertEquals(got.data!.public, false);
  assertEquals(Number(got.data!.file_size_limit), 1000, "1KB is decimal, as storage-api parses it");
  assertEquals(got.data!.allowed_mime_types, ["text/*", "image/png", "application/pdf"]);
  const listed = await admin.storage.listBuckets();
  assert(listed.data!.some((b) => b.id === BUCKET && b.type === "STANDARD"));

  const again = await admin.storage.createBucket(BUCKET, { public: false });
  assertEquals(shape(again.error), {
    status: 400,
    statusCode: "409",
    code: "BucketAlreadyExists",
    message: "The resource already exists",
  });
  const byUser = await owner.sb.storage.createBucket(`${BUCKET}-mine`, { public: true });
  assertEquals(shape(byUser.error), {
    status: 400,
    statusCode: "403",
    code: "AccessDenied",
    message: "new row violates row-level security policy",
  });
  const hidden = await owner.sb.storage.getBucket(BUCKET);
  assertEquals(shape(hidden.error)?.code, "NoSuchBucket", "no SELECT policy on storage.buckets");
  const badName = await admin.storage.createBucket("bad/name", { public: false });
  assertEquals(shape(badName.error)?.code, "InvalidBucketName");
});

Deno.test("[storage] owner — upload, upsert, update, download, list and remove under their folder", async () => {
  const bucket = owner.sb.storage.from(BUCKET);
  const key = `${owner.id}/notes/first.txt`;
  const up = await bucket.upload(key, "hello", { contentType: "text/plain;charset=UTF-8" });
  assertEquals(up.error, null);
  assertEquals(up.data!.path, key);
  assertEquals(up.data!.fullPath, `${BUCKET}/${key}`);
  const [row] = await st.sql`
    select id, owner, owner_id, metadata, path_tokens from storage.objects where bucket_id = ${BUCKET} and name = ${key}`;
  assertEquals(row.id, up.data!.id);
  assertEquals([row.owner, row.owner_id], [owner.id, owner.id]);
  assertEquals(row.metadata.size, 5);
  assertEquals(row.metadata.mimetype, "text/plain;charset=UTF-8");
  assertEquals(row.metadata.eTag, '"5d41402abc4b2a76b9719d911017c592"', "md5 of the bytes, quoted");
  assertEquals(row.path_tokens, [owner.id, "notes", "first.txt"]);
  assertEquals((await versionFiles(key)).length, 1, "bytes stored under <root>/<bucket>/<path>/");

  const dup = await bucket.upload(key, "again", { contentType: "text/plain" });
  assertEquals(shape(dup.error), {
    status: 400,
    statusCode: "409",
    code: "KeyAlreadyExists",
    message: "The resource already exists",
  });
  assertEquals(await (await bucket.download(key)).data!.text(), "hello", "a refused upload changes nothing");

  assertEquals(
    (await bucket.upload(key, "upserted", { contentType: "text/plain", upsert: true })).error,
    null,
  );
  assertEquals(await (await bucket.download(key)).data!.text(), "upserted");
  const put = await bucket.update(key, new Blob(["updated!"], { type: "text/markdown" }));
  assertEquals(put.error, null);
  const downloaded = await bucket.download(key);
  assertEquals(await downloaded.data!.text(), "updated!");
  assertEquals(downloaded.data!.type, "text/markdown", "a Blob is sent as multipart and keeps its type");
  assertEquals((await versionFiles(key)).length, 1, "an overwrite leaves only the current version");

  assertEquals((await bucket.upload(`${owner.id}/b.txt`, "b", { contentType: "text/plain" })).error, null);
  const top = await bucket.list(owner.id);
  assertEquals(top.error, null);
  assertEquals(top.data!.map((e) => [e.name, e.id === null]), [["b.txt", false], ["notes", true]]);
  const inner = await bucket.list(`${owner.id}/notes`, { limit: 10, offset: 0 });
  assertEquals(inner.data!.map((e) => e.name), ["first.txt"]);
  assertEquals((inner.data![0].metadata as { size: number }).size, 8);
  const paged = await bucket.list(owner.id, { limit: 1, offset: 1 });
  assertEquals(paged.data!.map((e) => e.name), ["notes"]);

  const removed = await bucket.remove([key, `${owner.id}/missing.txt`]);
  assertEquals(removed.error, null);
  assertEquals(removed.data!.map((r) => r.name), [key], "only rows actually deleted come back");
  assertEquals(await versionFiles(key), []);
  const gone = await bucket.download(key);
  assertEquals(shape(gone.error), {
    status: 400,
    statusCode: "404",
    code: "NoSuchKey",
    message: "Object not found",
  });
});

Deno.test("[storage] stranger — RLS refuses writes with hosted's AccessDenied and hides the owner's objects", async () => {
  const key = `${owner.id}/private.txt`;
  assertEquals(
    (await owner.sb.storage.from(BUCKET).upload(key, "secret", { contentType: "text/plain" })).error,
    null,
  );
  const theirs = stranger.sb.storage.from(BUCKET);

  const write = await theirs.upload(key, "overwrite", { contentType: "text/plain", upsert: true });
  assertEquals(shape(write.error), {
    status: 400,
    statusCode: "403",
    code: "AccessDenied",
    message: "new row violates row-level security policy",
  });
  const intoOwnersFolder = await theirs.upload(`${owner.id}/planted.txt`, "x", { contentType: "text/plain" });
  assertEquals(shape(intoOwnersFolder.error)?.code, "AccessDenied");
  const read = await theirs.download(key);
  assertEquals(shape(read.error), {
    status: 400,
    statusCode: "404",
    code: "NoSuchKey",
    message: "Object not found",
  });
  assertEquals((await theirs.list(owner.id)).data, []);
  assertEquals(shape((await theirs.createSignedUrl(key, 60)).error)?.code, "NoSuchKey");
  assertEquals((await theirs.remove([key])).data, [], "remove silently skips rows RLS hides");
  assertEquals(await (await owner.sb.storage.from(BUCKET).download(key)).data!.text(), "secret");

  assertEquals(
    (await theirs.upload(`${stranger.id}/mine.txt`, "ok", { contentType: "text/plain" })).error,
    null,
  );
  assertEquals(
    shape((await owner.sb.storage.from(BUCKET).download(`${stranger.id}/mine.txt`)).error)?.code,
    "NoSuchKey",
  );
});

Deno.test("[storage] signed URLs — download without auth until they expire; bound to their path", async () => {
  const bucket = owner.sb.storage.from(BUCKET);
  const key = `${owner.id}/signed file.txt`;
  assertEquals((await bucket.upload(key, "signed bytes", { contentType: "text/plain" })).error, null);
  assertEquals(
    (await bucket.upload(`${owner.id}/other.txt`, "other", { contentType: "text/plain" })).error,
    null,
  );
  const signed = await bucket.createSignedUrl(key, 60);
  assertEquals(signed.error, null);
  const url = new URL(signed.data!.signedUrl);
  assertEquals(url.pathname, `/storage/v1/object/sign/${BUCKET}/${owner.id}/signed%20file.txt`);

  const fetched = await fetch(url);
  assertEquals(fetched.status, 200);
  assertEquals(await fetched.text(), "signed bytes");
  assert(fetched.headers.get("expires"), "signed reads send Expires");
  assertEquals(fetched.headers.get("content-type"), "text/plain");

  const elsewhere = new URL(url);
  elsewhere.pathname = `/storage/v1/object/sign/${BUCKET}/${owner.id}/other.txt`;
  const moved = await fetch(elsewhere);
  assertEquals(moved.status, 400);
  assertEquals((await moved.json()).code, "InvalidSignature");

  const many = await bucket.createSignedUrls([key, `${stranger.id}/mine.txt`], 60);
  assertEquals(many.data!.map((e) => e.error), [
    null,
    "Either the object does not exist or you do not have access to it",
  ]);

  st.advance(61);
  try {
    const expired = await fetch(url);
    assertEquals(expired.status, 400);
    const body = await expired.json();
    assertEquals([body.statusCode, body.code], ["400", "InvalidJWT"]);
    assertEquals(body.message, '"exp" claim timestamp check failed');
  } finally {
    st.advance(-61);
  }
});

Deno.test("[storage] limits — file_size_limit gives 413 EntityTooLarge, allowed_mime_types 415 InvalidMimeType", async () => {
  const bucket = owner.sb.storage.from(BUCKET);
  const atLimit = await bucket.upload(`${owner.id}/limit.txt`, "x".repeat(1000), {
    contentType: "text/plain",
  });
  assertEquals(atLimit.error, null);
  const over = await bucket.upload(`${owner.id}/over.txt`, "x".repeat(1001), { contentType: "text/plain" });
  assertEquals(shape(over.error), {
    status: 400,
    statusCode: "413",
    code: "EntityTooLarge",
    message: "The object exceeded the maximum allowed size",
  });
  const gif = await bucket.upload(`${owner.id}/a.gif`, new Blob(["GIF89a"], { type: "image/gif" }));
  assertEquals(shape(gif.error), {
    status: 400,
    statusCode: "415",
    code: "InvalidMimeType",
    message: "mime type image/gif is not supported",
  });
  const png = await bucket.upload(
    `${owner.id}/a.png`,
    new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }),
  );
  assertEquals(png.error, null);
  const [{ count }] = await st.sql`
    select count(*)::int from storage.objects where bucket_id = ${BUCKET} and name in (${`${owner.id}/over.txt`}, ${`${owner.id}/a.gif`})`;
  assertEquals(count, 0, "refused uploads leave no row");
  assertEquals(await versionFiles(`${owner.id}/over.txt`), []);
});

Deno.test("[storage] anon and bad tokens — refused; a private bucket is invisible to anon", async () => {
  const bucket = anon.storage.from(BUCKET);
  const up = await bucket.upload("anything.txt", "x", { contentType: "text/plain" });
  assertEquals(shape(up.error)?.code, "AccessDenied");
  assertEquals(shape(up.error)?.statusCode, "403");
  assertEquals(
    (await owner.sb.storage.from(BUCKET).upload(`${owner.id}/anon.txt`, "x", { contentType: "text/plain" }))
      .error,
    null,
  );
  assertEquals(shape((await bucket.download(`${owner.id}/anon.txt`)).error)?.code, "NoSuchBucket");
  assertEquals(
    shape((await anon.storage.createBucket("anon-bucket", { public: true })).error)?.code,
    "AccessDenied",
  );

  const forged = createClient(st.url, st.keys.publishableKey, {
    ...options,
    global: { headers: { Authorization: "Bearer not-a-jwt" } },
  });
  const refused = await forged.storage.from(BUCKET).upload(`${owner.id}/f.txt`, "x", {
    contentType: "text/plain",
  });
  assertEquals(shape(refused.error), {
    status: 400,
    statusCode: "403",
    code: "AccessDenied",
    message: "Invalid Compact JWS",
  });
});

Deno.test("[storage] keys — path traversal and invalid keys are refused before anything is written", async () => {
  const token = (await owner.sb.auth.getSession()).data.session!.access_token;
  const headers = {
    apikey: st.keys.publishableKey,
    authorization: `Bearer ${token}`,
    "content-type": "text/plain",
  };
  for (
    const path of [
      `${owner.id}/..%2F..%2F..%2Fescape.txt`,
      `${owner.id}/%2E%2E%2Fx.txt`,
      `${owner.id}//x.txt`,
    ]
  ) {
    const response = await fetch(`${st.url}/storage/v1/object/${BUCKET}/${path}`, {
      method: "POST",
      headers,
      body: "x",
    });
    assertEquals(response.status, 400, path);
    assertEquals((await response.json()).code, "InvalidKey", path);
  }
  const unicode = await owner.sb.storage.from(BUCKET).upload(`${owner.id}/رسید.txt`, "x", {
    contentType: "text/plain",
  });
  assertEquals(shape(unicode.error)?.code, "InvalidKey", "non-ASCII keys are rejected, as on hosted");
  for await (const entry of Deno.readDir(st.root)) {
    assertEquals(entry.name, BUCKET, "nothing outside the bucket");
  }
});
