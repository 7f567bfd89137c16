/**
 * The English catalogue, collected from the domains' own message files (lib/<domain>/messages.en.ts).
 * A domain adds its messages in its own folder and only its import and spread here; a key defined in two
 * domains is a test failure (tests/unit/i18n_test.ts), never a silent override.
 */
import { en as shared } from "./messages.en.ts";
import { en as wallet } from "../wallet/messages.en.ts";
import { en as payments } from "../payments/messages.en.ts";
import { en as auth } from "../auth/messages.en.ts";
import { en as users } from "../users/messages.en.ts";
import { en as audit } from "../audit/messages.en.ts";
import { en as apikeys } from "../apikeys/messages.en.ts";
import { en as tickets } from "../tickets/messages.en.ts";
import { en as phone } from "../phone/messages.en.ts";
import { en as notifications } from "../notifications/messages.en.ts";

/** Each domain's English messages, by domain. */
export const enByDomain = {
  shared,
  wallet,
  payments,
  auth,
  users,
  audit,
  apikeys,
  tickets,
  notifications,
  phone,
} as const;
export type Domain = keyof typeof enByDomain;

export const en = {
  ...shared,
  ...wallet,
  ...payments,
  ...auth,
  ...users,
  ...audit,
  ...apikeys,
  ...tickets,
  ...phone,
  ...notifications,
} as const;
