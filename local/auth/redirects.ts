/** Which `redirect_to` URLs are allowed (utilities/request.go IsRedirectURLValid, GetReferrer). */
import type { AuthConfig } from "./config.ts";

const LOOPBACK = ["localhost", "127.0.0.1", "::1", "0.0.0.0", "::"];

/** gobwas/glob with separators '.' and '/': `*` stops at a separator, `**` does not, `?` is one character. */
function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (ch === "*") out += "[^./]*";
    else if (ch === "?") out += "[^./]";
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

const hostname = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

function isLoopbackIp(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === "::1";
}

/** True when GoTrue would redirect to `url`: the site's origin, a loopback address, or an allow-list glob. */
export function isRedirectUrlValid(config: AuthConfig, url: string): boolean {
  if (!url) return false;
  let base: URL, ref: URL;
  try {
    base = new URL(config.siteUrl);
    ref = new URL(url);
  } catch {
    return false;
  }
  const refHost = hostname(ref);
  if (
    hostname(base) === refHost && base.protocol === ref.protocol &&
    (base.port === ref.port || LOOPBACK.includes(refHost.toLowerCase()))
  ) return true;
  const isHttp = ref.protocol === "http:" || ref.protocol === "https:";
  if (/^[0-9]+$/.test(refHost)) return false;
  if (/^[0-9.]+$/.test(refHost) || refHost.includes(":")) return isLoopbackIp(refHost);
  if (isHttp && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(refHost)) return false;
  const withoutFragment = url.split("#")[0];
  return config.additionalRedirectUrls.some((pattern) => globToRegExp(pattern).test(withoutFragment));
}

/** The request's redirect_to (header, query or form) when allowed, else the Referer when allowed, else site_url. */
export function referrer(config: AuthConfig, redirectTo: string | undefined, refererHeader?: string): string {
  if (redirectTo && isRedirectUrlValid(config, redirectTo)) return redirectTo;
  if (refererHeader && isRedirectUrlValid(config, refererHeader)) return refererHeader;
  return config.siteUrl;
}
