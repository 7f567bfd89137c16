/**
 * Object bytes on disk, like storage-api's file backend: `<root>/<bucket>/<key>/<version>`, so a key and a
 * "folder" of the same name can coexist and an overwrite never exposes a half-written file. Keys are
 * checked (spec §1.4 key regex) and nothing may resolve outside the root.
 */
import { dirname, join, resolve, sep } from "node:path";
import { invalidKey } from "./errors.ts";

const KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;

/** Spec §1.4's key rule, plus this backend's: no empty, `.` or `..` segment (no path traversal). */
export function checkKey(key: string): string {
  if (!key || !KEY.test(key) || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw invalidKey(key);
  }
  return key;
}

export class FileStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The folder holding a key's versions; refuses anything outside `<root>/<bucket>/`. */
  private folder(bucket: string, key: string): string {
    checkKey(key);
    const bucketDir = resolve(this.root, bucket);
    const dir = resolve(bucketDir, key);
    if (bucket.includes("/") || !bucketDir.startsWith(this.root + sep) || !dir.startsWith(bucketDir + sep)) {
      throw invalidKey(key);
    }
    return dir;
  }

  async write(bucket: string, key: string, version: string, bytes: Uint8Array): Promise<void> {
    const file = join(this.folder(bucket, key), version);
    await Deno.mkdir(dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    await Deno.writeFile(partial, bytes);
    await Deno.rename(partial, file);
  }

  async read(bucket: string, key: string, version: string): Promise<Uint8Array | null> {
    try {
      return await Deno.readFile(join(this.folder(bucket, key), version));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }

  /** Deletes one version file (an upload whose row was refused). */
  async discard(bucket: string, key: string, version: string): Promise<void> {
    await Deno.remove(join(this.folder(bucket, key), version));
  }

  /** Deletes a key's version files except `keep` (sub-folders are other keys and stay). */
  async prune(bucket: string, key: string, keep?: string): Promise<void> {
    const dir = this.folder(bucket, key);
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name !== keep) await Deno.remove(join(dir, entry.name));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}
