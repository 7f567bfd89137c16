-- Purpose: wallet top-ups through Zarinpal: public.payments (one row per attempt, with the status state machine
--          pending → verified | failed | expired, verified → refunded), public.payment_events (every gateway
--          exchange and callback, append-only) and public.payment_refunds (refund bookkeeping: wallet debit first,
--          gateway reverse second, compensation when the reverse is refused).
-- Access: users read their own payments, events and refunds; staff with `payments.view` read all. Nobody
--         (service_role and the table owner included) writes these tables except through the SECURITY DEFINER
--         functions in schema `payments` (next migration): there are no insert/update/delete grants, and
--         triggers enforce the state machine and immutability for everyone.
-- Risk: high (money). Error codes raised by payments migrations (mapped by lib/payments/errors.ts):
--   PY001 payment_not_found, PY002 invalid_transition, PY003 immutable, PY004 not_refundable,
--   PY005 refund_in_progress, PY006 not_permitted, PY007 too_many_pending, PY008 invalid_amount,
--   PY009 refund_not_pending, PY010 not_authenticated, PY011 refund_window_closed, PY012 invalid_input.

create schema if not exists payments;
comment on schema payments is 'The payments API (SECURITY DEFINER functions); not exposed through PostgREST.';
revoke all on schema payments from public;
grant usage on schema payments to authenticated, service_role;

create type public.payment_status as enum ('pending', 'verified', 'failed', 'expired', 'refunded');
create type public.payment_refund_status as enum ('pending', 'completed', 'failed');

-- payments ------------------------------------------------------------------------------------------
create table public.payments (
  id bigint generated always as identity primary key,
  user_id uuid references auth.users (id) on delete set null,
  gateway text not null default 'zarinpal' check (gateway = 'zarinpal'),
  merchant_key text not null check (merchant_key ~ '^[0-9a-f]{16}$'),
  amount bigint not null check (amount > 0 and amount <= 1000000000000000),
  description text not null check (length(description) between 1 and 500),
  status public.payment_status not null default 'pending',
  authority text unique check (authority ~ '^[A-Za-z0-9]{1,64}$'),
  expires_at timestamptz not null,
  ref_id bigint,
  card_pan text check (length(card_pan) <= 32),
  card_hash text check (length(card_hash) <= 128),
  fee bigint check (fee >= 0),
  fee_type text check (length(fee_type) <= 32),
  failure_code integer,
  failure_reason text check (failure_reason in ('cancelled', 'gateway_refused', 'gateway_unavailable', 'expired')),
  failure_message text check (length(failure_message) <= 500),
  needs_review boolean not null default false,
  review_reason text check (length(review_reason) <= 500),
  ledger_transaction_id bigint unique references ledger.transactions (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  verified_at timestamptz,
  closed_at timestamptz,
  refunded_at timestamptz,
  constraint payments_settled_has_credit
    check ((status in ('verified', 'refunded')) = (ledger_transaction_id is not null and verified_at is not null)),
  constraint payments_closed_has_time check ((status in ('failed', 'expired')) = (closed_at is not null)),
  constraint payments_refunded_has_time check ((status = 'refunded') = (refunded_at is not null)),
  constraint payments_review_has_reason check (not needs_review or review_reason is not null)
);
comment on table public.payments is
  'Wallet top-ups through Zarinpal: amount in rials, gateway authority, status (pending → verified | failed | expired, verified → refunded), ref id, masked card, fee and the ledger credit.';
comment on column public.payments.merchant_key is
  'The first 16 hex digits of sha256(merchant_id): which terminal the payment was made on, without storing the credential.';
comment on column public.payments.needs_review is
  'Set for finance when the gateway and our records disagree (amount mismatch, money captured on a closed payment).';
comment on column public.payments.fee is 'Gateway fee in rials as Zarinpal reported it (recorded here, not posted to the ledger).';

create index payments_user_id_idx on public.payments (user_id, id desc);
create index payments_pending_idx on public.payments (merchant_key, created_at) where status = 'pending';
create index payments_review_idx on public.payments (id) where needs_review;

-- payment_events ------------------------------------------------------------------------------------
create table public.payment_events (
  id bigint generated always as identity primary key,
  payment_id bigint references public.payments (id),
  kind text not null check (kind in ('request', 'verify', 'unVerified', 'inquiry', 'reverse', 'callback')),
  attempt smallint not null default 1 check (attempt >= 1),
  request jsonb not null default '{}' check (jsonb_typeof(request) = 'object'),
  response_status integer,
  response_body jsonb,
  error text check (length(error) <= 2000),
  duration_ms integer check (duration_ms >= 0),
  created_at timestamptz not null default now()
);
comment on table public.payment_events is
  'Every exchange with the gateway (request and response as sent and received, merchant id shortened) and every callback, append-only.';
create index payment_events_payment_id_idx on public.payment_events (payment_id, id);
create index payment_events_created_at_idx on public.payment_events using brin (created_at);

-- payment_refunds -----------------------------------------------------------------------------------
create table public.payment_refunds (
  id bigint generated always as identity primary key,
  payment_id bigint not null references public.payments (id),
  amount bigint not null check (amount > 0),
  status public.payment_refund_status not null default 'pending',
  reason text not null check (length(reason) between 3 and 500),
  requested_by uuid,
  debit_transaction_id bigint not null unique references ledger.transactions (id),
  compensation_transaction_id bigint unique references ledger.transactions (id),
  failure_code integer,
  failure_message text check (length(failure_message) <= 500),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint payment_refunds_resolved_when_done check ((status = 'pending') = (resolved_at is null)),
  constraint payment_refunds_failed_compensated
    check ((status = 'failed') = (compensation_transaction_id is not null))
);
comment on table public.payment_refunds is
  'Refunds of verified payments through the gateway''s reverse: the wallet is debited first; a refused reverse is compensated by a re-credit.';
-- One refund per payment unless an earlier attempt failed (and was compensated).
create unique index payment_refunds_one_active_idx on public.payment_refunds (payment_id)
  where status <> 'failed';
create index payment_refunds_payment_id_idx on public.payment_refunds (payment_id, id);
create index payment_refunds_pending_idx on public.payment_refunds (created_at) where status = 'pending';

-- grants: read-only for API roles; writes only through the payments.* functions ---------------------
revoke all on public.payments, public.payment_events, public.payment_refunds
  from public, anon, authenticated, service_role;
grant select on public.payments, public.payment_events, public.payment_refunds to authenticated, service_role;

-- triggers: state machine, immutability -------------------------------------------------------------
create function private.payments_guard() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'payments are kept forever: delete is not allowed' using errcode = 'PY003';
  end if;
  if (new.id, new.gateway, new.merchant_key, new.amount, new.description, new.created_at, new.expires_at)
     is distinct from
     (old.id, old.gateway, old.merchant_key, old.amount, old.description, old.created_at, old.expires_at)
     or (new.user_id is distinct from old.user_id and new.user_id is not null) then
    raise exception 'immutable' using errcode = 'PY003',
      detail = 'A payment''s owner, terminal, amount, description and times never change.';
  end if;
  if old.authority is not null and new.authority is distinct from old.authority then
    raise exception 'immutable' using errcode = 'PY003', detail = 'A payment''s authority never changes.';
  end if;
  if new.status is distinct from old.status and not (
    (old.status = 'pending' and new.status in ('verified', 'failed', 'expired'))
    or (old.status = 'verified' and new.status = 'refunded')
  ) then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = format('payment %s: %s → %s is not allowed', old.id, old.status, new.status);
  end if;
  if old.status <> 'pending' and (new.ref_id, new.card_pan, new.card_hash, new.ledger_transaction_id,
      new.verified_at) is distinct from (old.ref_id, old.card_pan, old.card_hash, old.ledger_transaction_id,
      old.verified_at) then
    raise exception 'immutable' using errcode = 'PY003', detail = 'A settled payment''s gateway data never changes.';
  end if;
  new.updated_at := now();
  return new;
end $$;
comment on function private.payments_guard() is
  'The payments state machine (pending → verified | failed | expired, verified → refunded) and immutable columns, for everyone.';

create trigger payments_guard before update or delete on public.payments
  for each row execute function private.payments_guard();
create trigger payments_no_truncate before truncate on public.payments
  for each statement execute function private.payments_guard();

create function private.payment_rows_immutable() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'public.% is append-only: % is not allowed', tg_table_name, lower(tg_op) using errcode = 'PY003';
end $$;
comment on function private.payment_rows_immutable() is 'Refuses update, delete and truncate on payment_events.';

create trigger payment_events_immutable before update or delete on public.payment_events
  for each row execute function private.payment_rows_immutable();
create trigger payment_events_no_truncate before truncate on public.payment_events
  for each statement execute function private.payment_rows_immutable();

create function private.payment_refunds_guard() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'refunds are kept forever: delete is not allowed' using errcode = 'PY003';
  end if;
  if old.status <> 'pending' and new.status is distinct from old.status then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = format('refund %s: %s → %s is not allowed', old.id, old.status, new.status);
  end if;
  if (new.payment_id, new.amount, new.debit_transaction_id, new.created_at)
     is distinct from (old.payment_id, old.amount, old.debit_transaction_id, old.created_at) then
    raise exception 'immutable' using errcode = 'PY003';
  end if;
  return new;
end $$;
comment on function private.payment_refunds_guard() is 'Refunds: pending → completed | failed once; the rest never changes.';

create trigger payment_refunds_guard before update or delete on public.payment_refunds
  for each row execute function private.payment_refunds_guard();
create trigger payment_refunds_no_truncate before truncate on public.payment_refunds
  for each statement execute function private.payment_rows_immutable();

-- RLS -----------------------------------------------------------------------------------------------
alter table public.payments enable row level security;
alter table public.payment_events enable row level security;
alter table public.payment_refunds enable row level security;

create policy "payments: owner or payments viewer can select" on public.payments
  for select to authenticated
  using (user_id = (select auth.uid()) or (select public.authorize('payments.view')));

create function private.owns_payment(target bigint) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.payments where id = target and user_id = (select auth.uid()))
$$;
comment on function private.owns_payment(bigint) is 'True when the signed-in user made this payment (policy helper).';
revoke execute on function private.owns_payment(bigint) from public, anon;
grant execute on function private.owns_payment(bigint) to authenticated, service_role;

create policy "payment_events: owner or payments viewer can select" on public.payment_events
  for select to authenticated
  using ((select public.authorize('payments.view')) or private.owns_payment(payment_id));

create policy "payment_refunds: owner or payments viewer can select" on public.payment_refunds
  for select to authenticated
  using ((select public.authorize('payments.view')) or private.owns_payment(payment_id));

-- service_role bypasses RLS (Supabase's service_role has BYPASSRLS); reads only, as granted above.
