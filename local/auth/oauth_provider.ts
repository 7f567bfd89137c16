/**
 * The emulated external OAuth providers (GitHub, Google): what their user endpoints would report for an
 * email typed on the consent page, and the short-lived authorization codes the page hands to /callback.
 */
import { jwtVerify, SignJWT } from "jose";
import type { Emulator } from "./context.ts";
import { internal } from "./errors.ts";

export const EMULATED_PROVIDERS = ["github", "google"] as const;
export type EmulatedProvider = typeof EMULATED_PROVIDERS[number];

export const PROVIDER_LABELS: Record<EmulatedProvider, string> = { github: "GitHub", google: "Google" };
export const DEFAULT_SCOPES: Record<EmulatedProvider, string> = {
  github: "user:email",
  google: "email profile openid",
};

export interface ProviderUser {
  provider: EmulatedProvider;
  providerId: string;
  email: string;
  identityData: Record<string, unknown>;
  accessToken: string;
  refreshToken?: string;
}

const CODE_AUDIENCE = "pishkhan-emulated-oauth";

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** A stable provider user id per (provider, email): GitHub's are numbers, Google's 21 digits. */
async function providerId(provider: EmulatedProvider, email: string): Promise<string> {
  const bytes = await digest(`${provider}:${email}`);
  const n = bytes.slice(0, 8).reduce((acc, b) => acc * 256n + BigInt(b), 0n);
  return provider === "github"
    ? String(1_000_000n + (n % 90_000_000n))
    : String(10n ** 20n + (n % (9n * 10n ** 20n)));
}

/** The identity_data GoTrue stores for these providers (provider.Claims via structs.Map). */
export async function providerUser(
  provider: EmulatedProvider,
  email: string,
  name: string,
): Promise<ProviderUser> {
  const id = await providerId(provider, email);
  const login = email.split("@")[0].replace(/[^a-zA-Z0-9-]/g, "-");
  const fullName = name || login;
  const random = () => crypto.randomUUID().replaceAll("-", "");
  const common = {
    email,
    email_verified: true,
    phone_verified: false,
    full_name: fullName,
    name: fullName,
    provider_id: id,
    sub: id,
  };
  if (provider === "github") {
    const avatar = `https://avatars.githubusercontent.com/u/${id}?v=4`;
    return {
      provider,
      providerId: id,
      email,
      identityData: {
        ...common,
        avatar_url: avatar,
        iss: "https://api.github.com",
        preferred_username: login,
        user_name: login,
      },
      accessToken: `gho_${random()}`,
    };
  }
  const picture = `https://lh3.googleusercontent.com/a/${id}`;
  return {
    provider,
    providerId: id,
    email,
    identityData: { ...common, avatar_url: picture, picture, iss: "https://accounts.google.com" },
    accessToken: `ya29.${random()}`,
    refreshToken: `1//${random()}`,
  };
}

/** The code the consent page gives the callback: HS256-signed by the local JWT secret, valid 10 minutes. */
export async function issueProviderCode(
  emu: Emulator,
  provider: EmulatedProvider,
  email: string,
  name: string,
): Promise<string> {
  const iat = Math.floor(emu.now().getTime() / 1000);
  return await new SignJWT({ provider, email, name }).setProtectedHeader({ alg: "HS256" })
    .setAudience(CODE_AUDIENCE).setIssuedAt(iat).setExpirationTime(iat + 600)
    .sign(new TextEncoder().encode(emu.keys.jwtSecret));
}

/** Exchanges a code for the provider's user, as GoTrue's provider.GetOAuthToken + GetUserData would. */
export async function redeemProviderCode(
  emu: Emulator,
  provider: string,
  code: string,
): Promise<ProviderUser> {
  try {
    const { payload } = await jwtVerify(code, new TextEncoder().encode(emu.keys.jwtSecret), {
      audience: CODE_AUDIENCE,
      currentDate: emu.now(),
    });
    if (payload.provider !== provider) throw new Error("code was issued for another provider");
    return await providerUser(
      provider as EmulatedProvider,
      String(payload.email),
      String(payload.name ?? ""),
    );
  } catch (error) {
    throw internal(`Unable to exchange external code: ${(error as Error).message}`);
  }
}
