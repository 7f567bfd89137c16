-- Purpose: a successful sign-in forgets the failed attempts of that email from that place, so the growing
-- sign-in delay slows guessing without ever slowing an owner who types the right password (re-authentication
-- for withdrawals asks for it often).
-- Access: service_role only.

/** Removes the counters of `keys` (rate-limit windows), as if they had expired. */
create function private.forget_rate_limits(keys text[]) returns void
language sql security definer set search_path = '' as $$
  delete from private.rate_limits where key = any(keys)
$$;
comment on function private.forget_rate_limits(text[]) is
  'Forgets rate-limit counters (e.g. the sign-in delay after a successful sign-in). Server only.';
revoke execute on function private.forget_rate_limits(text[]) from public, anon, authenticated;
grant execute on function private.forget_rate_limits(text[]) to service_role;
