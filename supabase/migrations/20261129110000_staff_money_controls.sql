-- Purpose: no staff member can move money to themselves or move a large sum alone.
--   * Nobody adjusts their own wallet (LW019 self_adjustment) or approves their own withdrawal or
--     adjustment request (LW021 self_approval).
--   * Four eyes: an adjustment or a withdrawal above `second_approval_above` (default 50,000,000 rials) needs
--     a second, different staff member (LW020 second_approval_required, LW022 same_approver).
--   * A per-day cap on what one staff member adjusts (LW023 daily_cap_exceeded), counted in Tehran days.
--   * ledger.reverse refuses postings that belong to a payment or a paid withdrawal (LW016 not_reversible):
--     those are undone by a refund or by the bank, never by a ledger reversal.
--   * authorize() reads the caller's current role and ban from the database, not the token's claim, so a
--     demoted or banned staff member loses their powers at once; a ban or a role change also ends the
--     user's sessions (Auth itself ends the other sessions on a password change).
-- Access: private.money_limits is read by the functions only; ledger.adjustment_requests is readable by staff
--         with wallet.view or wallet.adjust and written only through the functions below.

create table private.money_limits (
  singleton boolean primary key default true check (singleton),
  second_approval_above bigint not null default 50000000 check (second_approval_above > 0),
  daily_adjustment_cap bigint not null default 500000000 check (daily_adjustment_cap > 0)
);
comment on table private.money_limits is
  'Limits on staff money actions (rials). One row; change it with an UPDATE as the database owner.';
insert into private.money_limits default values;

-- Adjustments above the threshold wait here for a second staff member.
create type ledger.approval_status as enum ('pending', 'approved', 'rejected');

create table ledger.adjustment_requests (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  amount bigint not null check (amount <> 0 and abs(amount) <= 1000000000000000),
  reason text not null check (length(reason) between 3 and 500),
  requested_by uuid not null,
  requested_at timestamptz not null default now(),
  idempotency_key text not null check (length(idempotency_key) between 1 and 255),
  status ledger.approval_status not null default 'pending',
  decided_by uuid,
  decided_at timestamptz,
  decision_note text check (length(decision_note) <= 500),
  transaction_id bigint unique references ledger.transactions (id),
  constraint adjustment_requests_idempotency unique (requested_by, idempotency_key),
  constraint adjustment_requests_decided check ((status = 'pending') = (decided_at is null)),
  constraint adjustment_requests_approved_posted check ((status = 'approved') = (transaction_id is not null)),
  constraint adjustment_requests_four_eyes check (decided_by is null or decided_by <> requested_by)
);
comment on table ledger.adjustment_requests is
  'Adjustments above private.money_limits.second_approval_above, waiting for (or decided by) a second staff member.';
create index adjustment_requests_pending on ledger.adjustment_requests (requested_at) where status = 'pending';
create index adjustment_requests_by_staff on ledger.adjustment_requests (requested_by, requested_at);

alter table ledger.adjustment_requests enable row level security;
create policy "adjustment_requests: finance can select" on ledger.adjustment_requests
  for select to authenticated
  using ((select public.authorize('wallet.adjust')) or (select public.authorize('wallet.view')));
grant select on ledger.adjustment_requests to authenticated, service_role;

-- The first approval of a large withdrawal.
alter table ledger.withdrawals
  add column first_approved_by uuid,
  add column first_approved_at timestamptz,
  add constraint withdrawals_first_approval_pair check ((first_approved_by is null) = (first_approved_at is null));

-- What one staff member adjusted today counts against the cap: direct adjustments and their requests.
create index transactions_adjustments_by_staff on ledger.transactions (created_by, created_at)
  where kind = 'adjustment';

/** The limits row (one row, always present). */
create function private.money_limits() returns private.money_limits
language sql stable security definer set search_path = '' as $$
  select * from private.money_limits where singleton
$$;

/** Refuses when `amount` would take the caller over today's adjustment cap (Tehran day). */
create function ledger.check_adjustment_cap(amount bigint) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  day_start timestamptz := date_trunc('day', now() at time zone 'Asia/Tehran') at time zone 'Asia/Tehran';
  used bigint;
  cap bigint := (private.money_limits()).daily_adjustment_cap;
begin
  if caller is null then return; end if;
  select coalesce(sum(abs((t.metadata ->> 'amount')::bigint)), 0) into used
  from ledger.transactions t
  where t.kind = 'adjustment' and t.created_by = caller and t.created_at >= day_start
    and not t.metadata ? 'request_id';
  select used + coalesce(sum(abs(r.amount)), 0) into used
  from ledger.adjustment_requests r
  where r.requested_by = caller and r.requested_at >= day_start and r.status <> 'rejected';
  if used + abs(amount) > cap then
    raise exception 'daily_cap_exceeded' using errcode = 'LW023',
      detail = format('Adjustments by one staff member are capped at %s rials a day; %s used today.', cap, used);
  end if;
end $$;

/** The checks every adjustment shares: permission, amount, reason, target, not the caller's own wallet. */
create function ledger.check_adjustment(user_id uuid, amount bigint, reason text) returns text
language plpgsql stable security definer set search_path = '' as $$
begin
  if not public.authorize('wallet.adjust') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Adjusting wallets needs wallet.adjust.';
  end if;
  if amount is null or amount = 0 or abs(amount) > 1000000000000000 then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'An adjustment is a non-zero whole number of rials up to 10^15 either way.';
  end if;
  if user_id = auth.uid() then
    raise exception 'self_adjustment' using errcode = 'LW019', detail = 'Nobody may adjust their own wallet.';
  end if;
  if ledger.wallet_account_id(user_id) is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.check_reason(reason);
end $$;

/** Posts an adjustment (checked by the caller of this internal function). */
create function ledger.post_adjustment(user_id uuid, amount bigint, why text, idempotency_key text,
  extra jsonb default '{}') returns bigint
language plpgsql security definer set search_path = '' as $$
begin
  return ledger.post_transaction('adjustment', ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'reason', why) || extra,
    jsonb_strip_nulls(jsonb_build_object('reason', why, 'actor', auth.uid(), 'amount', amount)) || extra,
    array[ledger.system_account_id('adjustments'), ledger.wallet_account_id(user_id)], array[-amount, amount]);
end $$;

create or replace function ledger.adjust(user_id uuid, amount bigint, reason text, idempotency_key text)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  why text := ledger.check_adjustment(user_id, amount, reason);
  replayed bigint;
begin
  -- A replay of an adjustment already posted returns it, whatever the limits say today.
  select t.id into replayed from ledger.transactions t
  where t.idempotency_scope = ledger.caller_scope() and t.idempotency_key = adjust.idempotency_key;
  if replayed is null then
    if abs(amount) > (private.money_limits()).second_approval_above then
      raise exception 'second_approval_required' using errcode = 'LW020',
        detail = format('Adjustments above %s rials need a second staff member: request one instead.',
          (private.money_limits()).second_approval_above);
    end if;
    perform ledger.check_adjustment_cap(amount);
  end if;
  return ledger.post_adjustment(user_id, amount, why, idempotency_key);
end $$;

/** Finance: asks for a large adjustment; another staff member approves or rejects it. Returns the request id. */
create function ledger.request_adjustment(user_id uuid, amount bigint, reason text, idempotency_key text)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  why text := ledger.check_adjustment(user_id, amount, reason);
  existing ledger.adjustment_requests;
  created bigint;
begin
  if idempotency_key is null or length(idempotency_key) not between 1 and 255 then
    raise exception 'invalid_idempotency_key' using errcode = 'LW012';
  end if;
  select * into existing from ledger.adjustment_requests r
  where r.requested_by = auth.uid() and r.idempotency_key = request_adjustment.idempotency_key;
  if found then
    if existing.user_id <> request_adjustment.user_id or existing.amount <> request_adjustment.amount then
      raise exception 'idempotency_conflict' using errcode = 'LW002';
    end if;
    return existing.id;
  end if;
  perform ledger.check_adjustment_cap(amount);
  insert into ledger.adjustment_requests (user_id, amount, reason, requested_by, idempotency_key)
  values (request_adjustment.user_id, request_adjustment.amount, why, auth.uid(), request_adjustment.idempotency_key)
  returning id into created;
  return created;
end $$;

/** The pending request, locked, after the checks a decision needs (permission, another staff member). */
create function ledger.pending_adjustment_request(request_id bigint) returns ledger.adjustment_requests
language plpgsql security definer set search_path = '' as $$
declare
  request ledger.adjustment_requests;
begin
  if not public.authorize('wallet.adjust') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Deciding adjustments needs wallet.adjust.';
  end if;
  select * into request from ledger.adjustment_requests r where r.id = request_id for update;
  if not found then
    raise exception 'approval_request_not_found' using errcode = 'LW024';
  end if;
  if request.requested_by = auth.uid() then
    raise exception 'same_approver' using errcode = 'LW022',
      detail = 'The second approval must come from another staff member.';
  end if;
  if request.user_id = auth.uid() then
    raise exception 'self_approval' using errcode = 'LW021', detail = 'Nobody may approve money for themselves.';
  end if;
  return request;
end $$;

/** Finance (not the requester): posts a requested adjustment. Returns the transaction id; repeats return it. */
create function ledger.approve_adjustment(request_id bigint) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  request ledger.adjustment_requests := ledger.pending_adjustment_request(request_id);
  posted bigint;
begin
  if request.status = 'approved' then return request.transaction_id; end if;
  if request.status <> 'pending' then
    raise exception 'approval_request_not_pending' using errcode = 'LW025',
      detail = format('The request is %s.', request.status);
  end if;
  posted := ledger.post_adjustment(request.user_id, request.amount, request.reason,
    'adjustment-request:' || request.id,
    jsonb_build_object('request_id', request.id, 'requested_by', request.requested_by));
  update ledger.adjustment_requests r set status = 'approved', decided_by = auth.uid(), decided_at = now(),
    transaction_id = posted
  where r.id = request.id;
  return posted;
end $$;

/** Finance (not the requester): refuses a requested adjustment with a reason. */
create function ledger.reject_adjustment(request_id bigint, reason text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  request ledger.adjustment_requests := ledger.pending_adjustment_request(request_id);
  why text := ledger.check_reason(reason);
begin
  if request.status = 'rejected' then return; end if;
  if request.status <> 'pending' then
    raise exception 'approval_request_not_pending' using errcode = 'LW025',
      detail = format('The request is %s.', request.status);
  end if;
  update ledger.adjustment_requests r set status = 'rejected', decided_by = auth.uid(), decided_at = now(),
    decision_note = why
  where r.id = request.id;
end $$;

/**
 * Finance: pays a pending withdrawal with the bank's reference. Above the four-eyes threshold the first call
 * only records the first approval (and returns null); a different staff member's call pays it.
 */
create or replace function ledger.approve_withdrawal(withdrawal_id bigint, bank_reference text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  reference text := nullif(btrim(bank_reference), '');
  w ledger.withdrawals;
  payout bigint;
begin
  if not public.authorize('withdrawals.manage') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Reviewing withdrawals needs withdrawals.manage.';
  end if;
  if reference is null or length(reference) > 100 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The bank reference (1 to 100 characters) is required.';
  end if;
  select * into w from ledger.withdrawals x where x.id = withdrawal_id for update;
  if not found then
    raise exception 'withdrawal_not_found' using errcode = 'LW007';
  end if;
  if w.status = 'approved' and w.bank_reference = reference then
    return w.transaction_id;
  end if;
  if w.status <> 'pending' then
    raise exception 'withdrawal_not_pending' using errcode = 'LW008',
      detail = format('The withdrawal is %s.', w.status);
  end if;
  if w.user_id = auth.uid() then
    raise exception 'self_approval' using errcode = 'LW021', detail = 'Nobody may approve their own withdrawal.';
  end if;
  if w.amount > (private.money_limits()).second_approval_above and auth.uid() is not null then
    if w.first_approved_by is null then
      update ledger.withdrawals x set first_approved_by = auth.uid(), first_approved_at = now() where x.id = w.id;
      return null;
    end if;
    if w.first_approved_by = auth.uid() then
      raise exception 'same_approver' using errcode = 'LW022',
        detail = 'The second approval must come from another staff member.';
    end if;
  end if;
  payout := ledger.consume_hold(w.hold_id, ledger.system_account_id('payouts'), 'withdrawal',
    'withdrawal:' || w.id, jsonb_build_object('withdrawal_id', w.id, 'bank_reference', reference));
  update ledger.withdrawals x set status = 'approved', transaction_id = payout, bank_reference = reference,
    reviewed_by = auth.uid(), reviewed_at = now()
  where x.id = w.id;
  return payout;
end $$;

create or replace function ledger.reverse(transaction_id bigint, reason text, idempotency_key text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  original ledger.transactions;
  why text;
  legs_accounts bigint[];
  legs_amounts bigint[];
  posted bigint;
begin
  if not public.authorize('wallet.adjust') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Reversals need wallet.adjust.';
  end if;
  why := ledger.check_reason(reason);
  select * into original from ledger.transactions t where t.id = reverse.transaction_id;
  if not found then
    raise exception 'transaction_not_found' using errcode = 'LW014';
  end if;
  if original.kind = 'reversal' then
    raise exception 'not_reversible' using errcode = 'LW016', detail = 'A reversal cannot be reversed.';
  end if;
  -- Gateway postings (top-ups, refunds and their compensations) and paid withdrawals mirror money outside
  -- the ledger: a refund or the bank undoes them, never a reversal.
  if original.kind in ('topup', 'credit', 'refund', 'debit', 'withdrawal') then
    raise exception 'not_reversible' using errcode = 'LW016',
      detail = format('A %s belongs to a payment or a withdrawal and cannot be reversed.', original.kind);
  end if;
  select array_agg(e.account_id order by e.leg), array_agg(-e.amount order by e.leg)
  into legs_accounts, legs_amounts
  from ledger.entries e where e.transaction_id = original.id;
  begin
    posted := ledger.post_transaction('reversal', ledger.caller_scope(), idempotency_key,
      jsonb_build_object('reverses', original.id, 'reason', why),
      jsonb_strip_nulls(jsonb_build_object('reason', why, 'reversed_kind', original.kind, 'actor', auth.uid())),
      legs_accounts, legs_amounts, original.id);
  exception when unique_violation then
    raise exception 'already_reversed' using errcode = 'LW011',
      detail = format('transaction %s has already been reversed', original.id);
  end;
  return posted;
end $$;

-- Stale powers: the role in a token lives until the token expires; the database knows the role now.
create or replace function public.authorize(requested_permission public.app_permission) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  caller uuid;
begin
  if (select auth.role()) = 'service_role' then return true; end if;
  caller := auth.uid();
  if caller is null then return false; end if;
  return exists (
    select 1 from public.role_permissions p
    where p.role = private.primary_role(caller) and p.permission = requested_permission
  ) and not exists (
    select 1 from auth.users u where u.id = caller and u.banned_until > now()
  );
end $$;
comment on function public.authorize(public.app_permission) is
  'True when the caller''s current role (from the database, not the token) grants the permission and the caller is not banned.';

-- Ending sessions: Auth keeps sessions in auth.sessions (refresh tokens cascade); without one, a refresh fails
-- and the app's live-session check (GET /auth/v1/user) refuses at once.
-- (A password change already ends the user's other sessions in Auth itself.)
create function private.end_sessions_on_ban() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.banned_until > now() and new.banned_until is distinct from old.banned_until then
    delete from auth.sessions s where s.user_id = new.id;
  end if;
  return new;
end $$;
create trigger end_sessions_on_ban after update of banned_until on auth.users
  for each row execute function private.end_sessions_on_ban();

create function private.end_sessions_on_demotion() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from auth.sessions s where s.user_id = old.user_id;
  return null;
end $$;
create trigger end_sessions_on_demotion after update or delete on public.user_roles
  for each row execute function private.end_sessions_on_demotion();

revoke execute on function private.money_limits(), ledger.check_adjustment_cap(bigint),
  ledger.check_adjustment(uuid, bigint, text), ledger.post_adjustment(uuid, bigint, text, text, jsonb),
  ledger.pending_adjustment_request(bigint), ledger.request_adjustment(uuid, bigint, text, text),
  ledger.approve_adjustment(bigint), ledger.reject_adjustment(bigint, text),
  private.end_sessions_on_ban(), private.end_sessions_on_demotion()
  from public, anon, authenticated, service_role;
grant execute on function ledger.request_adjustment(uuid, bigint, text, text),
  ledger.approve_adjustment(bigint), ledger.reject_adjustment(bigint, text)
  to authenticated, service_role;
