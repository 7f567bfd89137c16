/**
 * Ticket attachments in Supabase Storage (private bucket `ticket-attachments`, objects at {ticket_id}/{file}).
 * The server uploads with the signed-in user's own access token through supabase-js `storage`, so the
 * bucket's limits and the RLS policies on storage.objects decide exactly as they would for the user; the
 * browser never holds a key. After the upload, tickets.add_attachment records the object's metadata (size and
 * type as stored). Downloads and thumbnails go through short-lived signed URLs.
 */
import { createClient } from "@supabase/supabase-js";
import { sql } from "kysely";
import { config } from "../config.ts";
import type { Tx } from "../db/client.ts";
import { ticketErrors } from "./errors.ts";
import { type AttachmentRow, type TicketAttachment, toAttachment } from "./store.ts";

export const ATTACHMENT_BUCKET = "ticket-attachments";
/** 10 MB, as set on the bucket (file_size_limit). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The bucket's allowed_mime_types. */
export const ATTACHMENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "application/pdf",
  "text/plain",
] as const;
/** At most this many files per message (a form field takes several). */
export const MAX_FILES_PER_MESSAGE = 5;
/** How long a signed download URL lives, in seconds. */
export const SIGNED_URL_SECONDS = 300;

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "application/pdf": "pdf",
  "text/plain": "txt",
};

/** The type a file's bytes show (magic numbers), for the types the bucket takes; undefined when none fits. */
export function sniffType(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") {
    return "image/webp";
  }
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  if (!bytes.subarray(0, 8192).includes(0)) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 8192));
      return "text/plain";
    } catch { /* not UTF-8 text */ }
  }
  return undefined;
}

/** The declared type without parameters (`text/plain;charset=utf-8` → `text/plain`). */
const bareType = (type: string) => type.split(";")[0].trim().toLowerCase();

/** Files a form sent that are real uploads (a file input left empty sends an empty, nameless part). */
export function chosenFiles(values: FormDataEntryValue[]): File[] {
  return values.filter((v): v is File => v instanceof File && (v.size > 0 || v.name !== ""));
}

/**
 * Refuses, before anything is written, files the bucket would refuse: more than MAX_FILES_PER_MESSAGE, over
 * 10 MB, or of another type (the declared type must be allowed and match the bytes).
 */
export async function checkFiles(files: File[]): Promise<void> {
  if (files.length > MAX_FILES_PER_MESSAGE) {
    throw ticketErrors.refuse("ticket_invalid_input", { field: "files" });
  }
  for (const file of files) {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      throw ticketErrors.refuse("ticket_attachment_too_large", { file: file.name });
    }
    const declared = bareType(file.type);
    const head = new Uint8Array(await file.slice(0, 8192).arrayBuffer());
    const sniffed = sniffType(head);
    const ok = (ATTACHMENT_TYPES as readonly string[]).includes(declared) &&
      (sniffed === declared || (declared === "text/plain" && sniffed === "text/plain"));
    if (!ok) throw ticketErrors.refuse("ticket_attachment_type", { file: file.name });
  }
}

/** A storage client that acts as the user holding `accessToken` (RLS applies as on hosted Supabase). */
function storageAs(accessToken: string) {
  const { supabaseUrl, publishableKey } = config();
  const client = createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
  return client.storage.from(ATTACHMENT_BUCKET);
}

/** Maps a refused upload to the domain's refusal (size and type have clear messages). */
function uploadRefusal(error: { statusCode?: string; message?: string }, file: File) {
  if (error.statusCode === "413") {
    return ticketErrors.refuse("ticket_attachment_too_large", { file: file.name });
  }
  if (error.statusCode === "415") return ticketErrors.refuse("ticket_attachment_type", { file: file.name });
  if (error.statusCode === "403") return ticketErrors.refuse("ticket_not_found");
  return new Error(`ticket attachment upload failed: ${error.statusCode} ${error.message}`);
}

/** Runs a function in a transaction as the user (c.var.asUser). */
export type AsUser = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * Uploads `files` (already checked with checkFiles) to {ticketId}/{uuid}.{ext} as the user and records each as
 * an attachment of the ticket (messageId null) or of the user's message. A file whose upload or record fails
 * is removed again and the refusal is thrown; files recorded before it stay.
 */
export async function attachFiles(
  accessToken: string,
  asUser: AsUser,
  ticketId: string,
  messageId: string | null,
  files: File[],
): Promise<TicketAttachment[]> {
  const bucket = storageAs(accessToken);
  const added: TicketAttachment[] = [];
  for (const file of files) {
    const type = bareType(file.type);
    const path = `${ticketId}/${crypto.randomUUID()}.${EXTENSIONS[type] ?? "bin"}`;
    const uploaded = await bucket.upload(path, new Uint8Array(await file.arrayBuffer()), {
      contentType: type,
      upsert: false,
    });
    if (uploaded.error) throw uploadRefusal(uploaded.error as { statusCode?: string }, file);
    try {
      added.push(await asUser((tx) => recordAttachment(tx, ticketId, messageId, path, file.name)));
    } catch (error) {
      await bucket.remove([path]).catch(() => {});
      throw error;
    }
  }
  return added;
}

/** tickets.add_attachment: records an object the caller uploaded (size and type taken from the object). */
export async function recordAttachment(
  tx: Tx,
  ticketId: string,
  messageId: string | null,
  path: string,
  name: string,
): Promise<TicketAttachment> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<AttachmentRow>`
      select * from tickets.add_attachment(${ticketId}::bigint, ${messageId}::bigint, ${path}, ${
      name.slice(0, 255)
    })`.execute(tx);
    return toAttachment(rows[0]);
  });
}

/**
 * Signed download URLs (valid `seconds`) for the attachments the user may read, by path; paths the user may
 * not read are left out. Images use the same URL as their thumbnail.
 */
export async function signedLinks(
  accessToken: string,
  paths: string[],
  seconds = SIGNED_URL_SECONDS,
): Promise<Record<string, string>> {
  if (paths.length === 0) return {};
  const { data, error } = await storageAs(accessToken).createSignedUrls(paths, seconds);
  if (error) throw new Error(`signing attachment URLs failed: ${error.message}`);
  const links: Record<string, string> = {};
  for (const item of data ?? []) {
    if (item.path && item.signedUrl && !item.error) links[item.path] = item.signedUrl;
  }
  return links;
}

/** Every attachment path of a thread (the ticket's own and its messages'). */
export function attachmentPaths(
  ticket: { attachments: TicketAttachment[]; messages: { attachments: TicketAttachment[] }[] },
): string[] {
  return [...ticket.attachments, ...ticket.messages.flatMap((m) => m.attachments)].map((a) => a.path);
}
