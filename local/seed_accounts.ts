/** The seeded demo accounts of DESIGN.md §4 (local mode only). */
import type { Stack } from "./stack.ts";

export const SEEDED_ACCOUNTS = {
  password: "pishkhan-demo-1",
  emails: ["admin@pishkhan.local", "agent@pishkhan.local", "finance@pishkhan.local", "user@pishkhan.local"],
};

/** Creates the accounts once; made through the Auth emulator's admin API when it is mounted. */
export async function seedAccounts(_stack: Stack): Promise<void> {
  // Filled in with the Auth emulator (accounts issue): POST /auth/v1/admin/users with the secret key.
}
