-- Purpose: the wallet's double-entry ledger: accounts (user wallets and system accounts), transactions,
--          entries (signed rials; every transaction sums to zero), wallet balance rows and holds, plus the
--          one posting routine every money-moving function goes through (ledger.post_transaction).
-- Access: users read their own wallet, entries, transactions and holds; staff with `wallet.view` read all.
--         Nobody writes these tables directly (no insert/update/delete grants for any API role): money moves
--         only through SECURITY DEFINER functions. Entries and transactions are immutable for everyone,
--         table owner included (triggers).
-- Risk: high (money). Invariants: entries of a transaction sum to zero (checked by the posting routine and
--       again by a deferred constraint trigger); a wallet's balance row equals the sum of its entries and
--       keeps balance >= 0, held >= 0, balance - held >= 0; wallet rows are locked in account-id order, so
--       postings never deadlock; system accounts keep no balance row (balance = sum of entries), so a busy
--       system or merchant account never serializes postings.
-- Error codes raised here and in later ledger migrations (mapped by lib/wallet/errors.ts):
--   LW001 insufficient_funds, LW002 idempotency_conflict, LW003 recipient_not_found, LW004 invalid_amount,
--   LW005 self_transfer, LW006 invalid_iban, LW007 withdrawal_not_found, LW008 withdrawal_not_pending,
--   LW009 not_permitted, LW010 not_authenticated, LW011 already_reversed, LW012 invalid_idempotency_key,
--   LW013 reason_required, LW014 transaction_not_found, LW015 account_not_found, LW016 not_reversible,
--   LW017 invalid_kind, LW018 invalid_input, LW090 immutable, LW091 unbalanced_transaction.

create schema if not exists ledger;
comment on schema ledger is 'Double-entry ledger of wallets and system accounts; written only through its functions.';
revoke all on schema ledger from public;
grant usage on schema ledger to authenticated, service_role;

create type ledger.account_kind as enum ('wallet', 'system');
create type ledger.transaction_kind as enum (
  'topup', 'credit', 'refund', 'debit', 'transfer', 'charge', 'adjustment', 'withdrawal', 'reversal'
);
create type ledger.hold_status as enum ('active', 'released', 'consumed');

-- accounts ------------------------------------------------------------------------------------------
create table ledger.accounts (
  id bigint generated always as identity primary key,
  kind ledger.account_kind not null,
  user_id uuid unique references auth.users (id) on delete set null,
  code text unique check (code ~ '^[a-z][a-z0-9_:.-]{1,62}$'),
  name text not null default '' check (length(name) <= 120),
  created_at timestamptz not null default now(),
  constraint accounts_system_has_code check ((kind = 'system') = (code is not null)),
  constraint accounts_system_has_no_user check (kind = 'wallet' or user_id is null)
);
comment on table ledger.accounts is
  'Ledger accounts: one wallet per user, and system accounts (gateway_clearing, revenue, payouts, adjustments, fees, merchants) named by code.';

-- wallet_balances -----------------------------------------------------------------------------------
create table ledger.wallet_balances (
  account_id bigint primary key references ledger.accounts (id),
  user_id uuid unique references auth.users (id) on delete set null,
  balance bigint not null default 0,
  held bigint not null default 0,
  updated_at timestamptz not null default now(),
  constraint wallet_balances_balance_check check (balance >= 0),
  constraint wallet_balances_held_check check (held >= 0),
  constraint wallet_balances_available_check check (balance - held >= 0)
);
comment on table ledger.wallet_balances is
  'The hot balance row of each wallet: balance = sum of its entries, held = sum of its active holds. System accounts have none. The function that changes a row announces it with pg_notify(''wallet_changed'') when the wallet is watched (ledger.wallet_watchers).';

-- transactions --------------------------------------------------------------------------------------
create table ledger.transactions (
  id bigint generated always as identity primary key,
  kind ledger.transaction_kind not null,
  idempotency_scope text collate "C" not null,
  idempotency_key text collate "C" not null check (length(idempotency_key) between 1 and 255),
  request_hash uuid not null,
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  reverses bigint references ledger.transactions (id),
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint transactions_idempotency_key unique (idempotency_scope, idempotency_key),
  constraint transactions_reversal_link check ((kind = 'reversal') = (reverses is not null))
);
comment on table ledger.transactions is
  'One posting: its kind, the caller''s idempotency key (unique per caller scope) with a hash of the request, metadata, and the transaction it reverses.';
comment on column ledger.transactions.idempotency_scope is
  'Who the key belongs to: user:<uuid> for signed-in callers, service for server work, system for internal postings.';
create unique index transactions_reverses_key on ledger.transactions (reverses) where reverses is not null;
create index transactions_created_at_idx on ledger.transactions using brin (created_at);

-- entries -------------------------------------------------------------------------------------------
-- Keyed by (transaction_id, leg): a posting inserts all its legs in one statement; when they were made is
-- the transaction's created_at. Two indexes only, because every posting pays for each one.
create table ledger.entries (
  transaction_id bigint not null references ledger.transactions (id),
  leg smallint not null check (leg >= 1),
  account_id bigint not null references ledger.accounts (id),
  amount bigint not null check (amount <> 0),
  primary key (transaction_id, leg)
);
comment on table ledger.entries is
  'Signed amounts in rials (positive = the account''s balance grows), one row per leg of a transaction. The entries of a transaction sum to zero. Immutable.';
create index entries_account_id_idx on ledger.entries (account_id, transaction_id, leg) include (amount);

-- holds ---------------------------------------------------------------------------------------------
create table ledger.holds (
  id bigint generated always as identity primary key,
  account_id bigint not null references ledger.accounts (id),
  amount bigint not null check (amount > 0),
  status ledger.hold_status not null default 'active',
  reason text not null check (length(reason) between 1 and 200),
  transaction_id bigint references ledger.transactions (id),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint holds_resolved_when_not_active check ((status = 'active') = (resolved_at is null)),
  constraint holds_consumed_by_transaction check ((status = 'consumed') = (transaction_id is not null))
);
comment on table ledger.holds is
  'Funds reserved on a wallet (pending withdrawals): active holds count in wallet_balances.held until released or consumed.';
create index holds_account_id_idx on ledger.holds (account_id, id);
create index holds_transaction_id_idx on ledger.holds (transaction_id) where transaction_id is not null;

-- grants: read-only for API roles; writes happen only inside the functions below ---------------------
revoke all on all tables in schema ledger from public, anon, authenticated, service_role;
grant select on ledger.accounts, ledger.wallet_balances, ledger.transactions, ledger.entries, ledger.holds
  to authenticated, service_role;

-- triggers: immutability, balanced transactions ------------------------------------------------------
create function ledger.forbid_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'ledger.% is immutable: % is not allowed', tg_table_name, lower(tg_op)
    using errcode = 'LW090', hint = 'Post a reversal instead.';
end $$;
comment on function ledger.forbid_change() is 'Refuses update, delete and truncate on append-only ledger tables.';

create trigger entries_immutable before update or delete on ledger.entries
  for each row execute function ledger.forbid_change();
create trigger entries_no_truncate before truncate on ledger.entries
  for each statement execute function ledger.forbid_change();
create trigger transactions_immutable before update or delete on ledger.transactions
  for each row execute function ledger.forbid_change();
create trigger transactions_no_truncate before truncate on ledger.transactions
  for each statement execute function ledger.forbid_change();

-- Trigger functions that read the ledger are SECURITY DEFINER: a deferred trigger runs at commit as
-- whatever role is current then (often `authenticated`), and RLS would hide the other side's entries.
create function ledger.assert_transaction_balanced() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  total bigint;
  legs bigint;
begin
  select coalesce(sum(amount), 0), count(*) into total, legs
  from ledger.entries where transaction_id = new.transaction_id;
  if total <> 0 or legs < 2 then
    raise exception 'unbalanced_transaction' using errcode = 'LW091',
      detail = format('transaction %s: %s entries summing to %s', new.transaction_id, legs, total);
  end if;
  return null;
end $$;
comment on function ledger.assert_transaction_balanced() is
  'At commit: the entries of the transaction sum to zero and there are at least two.';

-- Fires once per transaction (on its first leg), at commit, after every leg is in.
create constraint trigger entries_balanced after insert on ledger.entries
  deferrable initially deferred
  for each row when (new.leg = 1) execute function ledger.assert_transaction_balanced();

create function ledger.wallet_changed_payload(wallet ledger.wallet_balances) returns text
language sql stable as $$
  select json_build_object(
    'user_id', wallet.user_id,
    'account_id', wallet.account_id::text,
    'balance', wallet.balance::text,
    'held', wallet.held::text,
    'available', (wallet.balance - wallet.held)::text,
    'updated_at', wallet.updated_at
  )::text
$$;
comment on function ledger.wallet_changed_payload(ledger.wallet_balances) is
  'Payload of pg_notify(''wallet_changed'', …): {user_id, account_id, balance, held, available, updated_at}, money as strings. Internal.';

-- wallet_watchers -----------------------------------------------------------------------------------
-- Postgres serializes every commit that sends a NOTIFY on one database-wide lock (so that notifications
-- are queued in commit order). Announcing every wallet change would therefore cap posting throughput;
-- instead a change is announced when someone is watching that wallet: an open live view (the wallet
-- page's SSE stream) registers its user here with ledger.watch_wallet and renews it while it is open.
create unlogged table ledger.wallet_watchers (
  user_id uuid not null,
  session text not null check (length(session) between 1 and 100),
  expires_at timestamptz not null,
  primary key (user_id, session)
);
comment on table ledger.wallet_watchers is
  'Open live views of wallets (user, viewer session, until when). Changes to a watched wallet are announced with pg_notify(''wallet_changed''). Unlogged: it is lost on a crash, and live views simply re-register.';
create index wallet_watchers_expires_at_idx on ledger.wallet_watchers (expires_at);
alter table ledger.wallet_watchers enable row level security;

create function ledger.watch_wallet(session text, seconds integer default 120, target uuid default null)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  viewer uuid := auth.uid();
  watched uuid := coalesce(target, auth.uid());
begin
  if viewer is null and auth.role() is distinct from 'service_role' then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  if watched is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'Whose wallet?';
  end if;
  if watched is distinct from viewer and not public.authorize('wallet.view') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Watching another wallet needs wallet.view.';
  end if;
  if session is null or length(session) not between 1 and 100 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'A session id of 1 to 100 characters is required.';
  end if;
  insert into ledger.wallet_watchers (user_id, session, expires_at)
  values (watched, session, now() + make_interval(secs => least(greatest(coalesce(seconds, 120), 5), 3600)))
  on conflict on constraint wallet_watchers_pkey do update set expires_at = excluded.expires_at;
  delete from ledger.wallet_watchers w where w.expires_at < now() - interval '10 minutes';
end $$;
comment on function ledger.watch_wallet(text, integer, uuid) is
  'Announce changes of my wallet (or, with wallet.view, of target''s) on channel wallet_changed for `seconds` (5..3600); renew while the live view is open.';

create function ledger.unwatch_wallet(session text, target uuid default null) returns void
language plpgsql security definer set search_path = '' as $$
begin
  delete from ledger.wallet_watchers w
  where w.user_id = coalesce(target, auth.uid()) and w.session = unwatch_wallet.session
    and (w.user_id = auth.uid() or public.authorize('wallet.view'));
end $$;
comment on function ledger.unwatch_wallet(text, uuid) is 'Ends a live view registered with ledger.watch_wallet.';

-- RLS -----------------------------------------------------------------------------------------------
create function private.current_wallet_id() returns bigint
language sql stable security definer set search_path = '' as $$
  select id from ledger.accounts where user_id = (select auth.uid()) and kind = 'wallet'
$$;
comment on function private.current_wallet_id() is 'The signed-in user''s wallet account id (policy helper).';
revoke execute on function private.current_wallet_id() from public, anon;
grant execute on function private.current_wallet_id() to authenticated, service_role;

alter table ledger.accounts enable row level security;
alter table ledger.wallet_balances enable row level security;
alter table ledger.transactions enable row level security;
alter table ledger.entries enable row level security;
alter table ledger.holds enable row level security;

create policy "accounts: owner or wallet viewer can select" on ledger.accounts
  for select to authenticated
  using (user_id = (select auth.uid()) or (select public.authorize('wallet.view')));

create policy "wallet_balances: owner or wallet viewer can select" on ledger.wallet_balances
  for select to authenticated
  using (user_id = (select auth.uid()) or (select public.authorize('wallet.view')));

create policy "entries: owner or wallet viewer can select" on ledger.entries
  for select to authenticated
  using (account_id = (select private.current_wallet_id()) or (select public.authorize('wallet.view')));

create policy "transactions: party or wallet viewer can select" on ledger.transactions
  for select to authenticated
  using (
    (select public.authorize('wallet.view'))
    or exists (
      select 1 from ledger.entries e
      where e.transaction_id = transactions.id and e.account_id = (select private.current_wallet_id())
    )
  );

create policy "holds: owner or wallet viewer can select" on ledger.holds
  for select to authenticated
  using (account_id = (select private.current_wallet_id()) or (select public.authorize('wallet.view')));

-- accounts: system accounts, wallets for every user -------------------------------------------------
insert into ledger.accounts (kind, code, name) values
  ('system', 'gateway_clearing', 'Gateway clearing (money received from Zarinpal, not yet settled)'),
  ('system', 'revenue', 'Revenue from charges'),
  ('system', 'payouts', 'Withdrawals paid out to bank accounts'),
  ('system', 'adjustments', 'Manual adjustments by finance'),
  ('system', 'fees', 'Gateway and bank fees');

-- Internal helpers (here and in later ledger migrations) carry no `set search_path`: they are executable
-- only by the owner and run inside the SECURITY DEFINER functions, whose search_path '' they inherit;
-- every name in them is schema-qualified, and a SET clause would cost a GUC save/restore on every call
-- of the hottest path.
create function ledger.wallet_account_id(target uuid) returns bigint
language plpgsql as $$
declare
  found_id bigint;
begin
  select id into found_id from ledger.accounts where user_id = target;
  if found_id is not null or target is null then return found_id; end if;
  if not exists (select 1 from auth.users where id = target) then return null; end if;
  insert into ledger.accounts (kind, user_id) values ('wallet', target)
  on conflict (user_id) do nothing returning id into found_id;
  if found_id is null then
    select id into found_id from ledger.accounts where user_id = target;
  else
    insert into ledger.wallet_balances (account_id, user_id) values (found_id, target);
  end if;
  return found_id;
end $$;
comment on function ledger.wallet_account_id(uuid) is
  'The wallet account of a user, created on first use; null when the user does not exist. Internal.';

create function ledger.system_account_id(account_code text) returns bigint
language plpgsql stable as $$
declare
  found_id bigint;
begin
  select id into found_id from ledger.accounts where code = account_code and kind = 'system';
  if found_id is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = format('system account %s', account_code);
  end if;
  return found_id;
end $$;
comment on function ledger.system_account_id(text) is 'The id of a system account by code. Internal.';

create function private.create_wallet() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform ledger.wallet_account_id(new.id);
  return new;
end $$;
comment on function private.create_wallet() is 'Opens the wallet of every new auth user.';
revoke execute on function private.create_wallet() from public, anon, authenticated;

create trigger on_auth_user_created_wallet after insert on auth.users
  for each row execute function private.create_wallet();

select ledger.wallet_account_id(id) from auth.users;

-- posting -------------------------------------------------------------------------------------------
create function ledger.post_transaction(
  posting_kind ledger.transaction_kind,
  scope text,
  idempotency_key text,
  request jsonb,
  metadata jsonb,
  account_ids bigint[],
  amounts bigint[],
  reverses bigint default null
) returns bigint
language plpgsql as $$
declare
  legs int := coalesce(cardinality(account_ids), 0);
  total bigint := 0;
  hash uuid;
  stored_hash uuid;
  posted bigint;
  ids bigint[];
  deltas bigint[];
  changed ledger.wallet_balances;
begin
  if idempotency_key is null or length(idempotency_key) not between 1 and 255 then
    raise exception 'invalid_idempotency_key' using errcode = 'LW012',
      detail = 'An idempotency key of 1 to 255 characters is required.';
  end if;
  if legs < 2 or legs <> coalesce(cardinality(amounts), 0) then
    raise exception 'unbalanced_transaction' using errcode = 'LW091';
  end if;
  for i in 1..legs loop
    if account_ids[i] is null or amounts[i] is null or amounts[i] = 0 then
      raise exception 'unbalanced_transaction' using errcode = 'LW091', detail = format('leg %s is empty', i);
    end if;
    total := total + amounts[i];
  end loop;
  if total <> 0 then
    raise exception 'unbalanced_transaction' using errcode = 'LW091', detail = format('legs sum to %s', total);
  end if;

  -- Idempotency first: a concurrent request with the same key waits here until the first one ends.
  hash := md5((jsonb_build_object('kind', posting_kind) || request)::text)::uuid;
  insert into ledger.transactions
    (kind, idempotency_scope, idempotency_key, request_hash, metadata, reverses, created_by)
  values
    (posting_kind, scope, idempotency_key, hash, coalesce(metadata, '{}'), reverses, auth.uid())
  on conflict on constraint transactions_idempotency_key do nothing
  returning id into posted;
  if posted is null then
    select t.id, t.request_hash into posted, stored_hash from ledger.transactions t
    where t.idempotency_scope = scope and t.idempotency_key = post_transaction.idempotency_key;
    if stored_hash is distinct from hash then
      raise exception 'idempotency_conflict' using errcode = 'LW002',
        detail = 'This idempotency key was already used for a different request.';
    end if;
    return posted;
  end if;

  -- Net change per account in ascending account id: wallet rows are locked in that order (no deadlocks).
  if legs = 2 and account_ids[1] < account_ids[2] then
    ids := account_ids;
    deltas := amounts;
  elsif legs = 2 and account_ids[1] > account_ids[2] then
    ids := array[account_ids[2], account_ids[1]];
    deltas := array[amounts[2], amounts[1]];
  else
    select array_agg(s.a order by s.a), array_agg(s.d order by s.a) into ids, deltas
    from (select t.a, sum(t.m) as d from unnest(account_ids, amounts) as t (a, m) group by t.a) s;
  end if;
  for i in 1..cardinality(ids) loop
    -- The guard refuses an overdraft (re-checked on the newest row version after a lock wait). No row
    -- means a system account (no balance row) or, when money leaves, possibly an overdraft.
    update ledger.wallet_balances b set balance = b.balance + deltas[i], updated_at = now()
    where b.account_id = ids[i] and b.balance - b.held + deltas[i] >= 0
    returning b.* into changed;
    if changed.account_id is not null then
      perform pg_notify('wallet_changed', ledger.wallet_changed_payload(changed))
      where exists (select 1 from ledger.wallet_watchers w
                    where w.user_id = changed.user_id and w.expires_at > now());
    elsif deltas[i] < 0 and exists (select 1 from ledger.wallet_balances b where b.account_id = ids[i]) then
      raise exception 'insufficient_funds' using errcode = 'LW001',
        detail = format('account %s cannot cover %s rials', ids[i], -deltas[i]);
    end if;
    changed := null;
  end loop;

  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select posted, t.leg::smallint, t.a, t.m
  from unnest(account_ids, amounts) with ordinality as t (a, m, leg);
  return posted;
end $$;
comment on function ledger.post_transaction(ledger.transaction_kind, text, text, jsonb, jsonb, bigint[], bigint[], bigint) is
  'The one posting routine: idempotent by (scope, key) with a request hash, balanced, locks wallets in id order, refuses overdrafts. Returns the transaction id. Internal.';

-- Functions are executable by PUBLIC by default; everything in this file is internal but the watch pair.
revoke execute on all functions in schema ledger from public, anon, authenticated, service_role;
grant execute on function ledger.watch_wallet(text, integer, uuid), ledger.unwatch_wallet(text, uuid)
  to authenticated, service_role;
