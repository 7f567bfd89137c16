-- Purpose: watched wallets no longer slow every posting down (issue 13: watched ≥ 0.95× uniform). A NOTIFY
--          makes its transaction take one database-wide lock from PreCommit_Notify until its commit is done,
--          so every posting that announced a watched wallet committed one at a time. A posting now appends
--          the changed rows of watched wallets to ledger.wallet_changes (an unlogged change log: no NOTIFY,
--          no WAL), and each app process's wallet live feed (lib/wallet/live_feed.ts) reads the log every
--          100 ms over ONE connection, while it has subscribers, with ledger.wallet_changes_since(cursor),
--          and fans the rows out to its SSE streams as before.
-- How no change is lost: every row carries the id of the transaction that wrote it (xid8). A reader asks for
--          rows with xid ≥ its cursor and then moves the cursor to the xmin of the snapshot it read with:
--          every transaction below that xmin had ended when it read, so its rows (if committed) were in that
--          read; rows of transactions still running have an xid ≥ the new cursor and come in a later read.
--          Rows read twice (xid ≥ cursor, already delivered) are recognised by their id. For one wallet the
--          ids follow the order of its changes: a posting takes the next id after it has locked and updated
--          the wallet row, and the next posting of that wallet can only update it after the first commits.
-- Clean-up: pg_cron job ledger-wallet-changes-cleanup deletes rows older than five minutes every minute
--          (cron.schedule(name, schedule, command), as in pg_cron 1.4 and 1.6). A reader away longer starts
--          again from the current balances, as a new live view does.
-- Access: the log and wallet_changes_since are for service_role (the app's live feed); no other grants.
-- Risk: medium (live feeds; no money moves differently). Tested in tests/integration/wallet_live_feed_test.ts
--       (no NOTIFY from postings, every change of every watched wallet under concurrent postings, in order).

create unlogged table ledger.wallet_changes (
  id bigint generated always as identity,
  xid xid8 not null default pg_current_xact_id(),
  user_id uuid not null,
  account_id bigint not null,
  balance bigint not null,
  held bigint not null,
  updated_at timestamptz not null
);
comment on table ledger.wallet_changes is
  'Change log of watched wallets for the live feeds: the new wallet_balances row, with the writing transaction''s xid. Written by the posting functions instead of NOTIFY; read by ledger.wallet_changes_since; rows older than five minutes are deleted by pg_cron. Unlogged: lost on a crash, when live views start again from the balances.';
create index wallet_changes_xid_idx on ledger.wallet_changes (xid);
alter table ledger.wallet_changes enable row level security;
revoke all on ledger.wallet_changes from public, anon, authenticated, service_role;

comment on table ledger.wallet_balances is
  'The hot balance row of each wallet: balance = sum of its entries, held = sum of its active holds. System accounts have none. The function that changes a row appends it to ledger.wallet_changes when the wallet is watched (ledger.wallet_watchers).';
comment on table ledger.wallet_watchers is
  'Open live views of wallets (user, viewer session, until when). Changes to a watched wallet are appended to ledger.wallet_changes. Unlogged: it is lost on a crash, and live views simply re-register.';

/**
 * Logs the changed wallet rows that someone watches, in the order given, with one look at the watchers.
 * Generic plans: with its array parameters the plan cache otherwise planned the insert again on every call
 * (16% of a watched posting's backend CPU in perf).
 */
create or replace function ledger.announce_wallet_changes(announce ledger.wallet_balances[], users uuid[])
returns void
language plpgsql set plan_cache_mode = force_generic_plan as $$
begin
  if coalesce(cardinality(announce), 0) = 0 then
    return;
  end if;
  insert into ledger.wallet_changes (user_id, account_id, balance, held, updated_at)
  select (announce[i]).user_id, (announce[i]).account_id, (announce[i]).balance, (announce[i]).held,
         (announce[i]).updated_at
  from generate_subscripts(announce, 1) as i
  where (announce[i]).user_id in (
    select w.user_id from ledger.wallet_watchers w where w.user_id = any (users) and w.expires_at > now())
  order by i;
end $$;
comment on function ledger.announce_wallet_changes(ledger.wallet_balances[], uuid[]) is
  'Appends each changed wallet row (in order) whose user is watched to ledger.wallet_changes; `users` are the rows'' user ids. Internal.';

create or replace function ledger.place_hold(wallet bigint, amount bigint, reason text) returns bigint
language plpgsql as $$
declare
  hold_id bigint;
  changed ledger.wallet_balances;
begin
  update ledger.wallet_balances b set held = b.held + amount, updated_at = now()
  where b.account_id = wallet and b.balance - b.held >= amount
  returning b.* into changed;
  if not found then
    raise exception 'insufficient_funds' using errcode = 'LW001',
      detail = format('account %s cannot hold %s rials', wallet, amount);
  end if;
  perform ledger.announce_wallet_changes(array[changed], array[changed.user_id]);
  insert into ledger.holds (account_id, amount, reason) values (wallet, amount, reason) returning id into hold_id;
  return hold_id;
end $$;

create or replace function ledger.release_hold(hold bigint) returns void
language plpgsql as $$
declare
  released ledger.holds;
  changed ledger.wallet_balances;
begin
  update ledger.holds h set status = 'released', resolved_at = now()
  where h.id = hold and h.status = 'active' returning * into released;
  if released.id is null then
    raise exception 'hold % is not active', hold using errcode = 'LW091';
  end if;
  update ledger.wallet_balances b set held = b.held - released.amount, updated_at = now()
  where b.account_id = released.account_id
  returning b.* into changed;
  perform ledger.announce_wallet_changes(array[changed], array[changed.user_id]);
end $$;

/**
 * The live feed's read: the logged changes of transactions from `since` on (oldest first), and the cursor
 * for the next read (`horizon`, the xmin of the snapshot this read used). With `since` null, no changes:
 * only the cursor to start from.
 */
create function ledger.wallet_changes_since(since xid8)
returns table (horizon xid8, changes jsonb)
language sql stable security definer set search_path = '' as $$
  select pg_snapshot_xmin(pg_current_snapshot()),
         coalesce((select jsonb_agg(jsonb_build_object(
                     'id', c.id::text, 'xid', c.xid::text, 'user_id', c.user_id,
                     'balance', c.balance::text, 'held', c.held::text,
                     'available', (c.balance - c.held)::text, 'updated_at', c.updated_at) order by c.id)
                   from ledger.wallet_changes c where c.xid >= since), '[]'::jsonb)
$$;
comment on function ledger.wallet_changes_since(xid8) is
  'Live feeds: the wallet changes logged by transactions with xid >= since, oldest first ({id, xid, user_id, balance, held, available, updated_at}, money as strings), and the next cursor (horizon). service_role.';
revoke execute on function ledger.wallet_changes_since(xid8) from public, anon, authenticated;
grant execute on function ledger.wallet_changes_since(xid8) to service_role;

select cron.schedule('ledger-wallet-changes-cleanup', '* * * * *',
  $$delete from ledger.wallet_changes where updated_at < now() - interval '5 minutes'$$);
