-- Purpose: batch postings for services (TigerBeetle's lesson): up to 1,000 transfers between users' wallets
--          in one statement, each with its own idempotency key and its own result (posted, replayed, or
--          refused with a code), instead of one statement, one commit and one round trip per transfer.
--          ledger.post_batch (service_role, the server's own scope) and ledger.transfer_batch_with_key (an
--          API key with the new scope transfers.batch; keys in the key's scope apikey:<id>) share one body,
--          ledger.post_transfer_batch, which works set-wise: one statement each to resolve the wallets, to
--          find earlier postings of the keys, to lock the wallet rows, to insert the transactions, their
--          entries and the new balances.
-- Semantics: the items are decided in order, as if posted one after another: an item may spend money an
--          earlier item of the same batch brought in. A refused item posts nothing and does not stop the
--          others. A key already posted (earlier, or by an earlier item of the batch) replays: the same
--          request answers its transaction with created = false, a different one idempotency_conflict.
--          Item refusals: invalid_input (item not an object, bad user ids, note over 200 characters),
--          invalid_idempotency_key, invalid_amount, self_transfer, account_not_found (sender),
--          recipient_not_found, insufficient_funds, idempotency_conflict. The batch itself is refused with
--          LW028 batch_invalid (not a JSON array of 1 to 1,000 items); if another database transaction
--          posts one of the batch's keys at the same moment, the batch fails whole with LW029 batch_retry
--          (nothing posted; sent again, the item replays).
-- Invariants kept: wallet rows are locked in ascending account id (as every posting does), the overdraft
--          guard is the same (available = balance - held, decided on the locked rows, and the balance
--          check constraints below it), each item's request hash is built as post_transfer builds it (a key
--          used with post_transfer in the same scope replays across both), entries of each transaction sum
--          to zero by construction (-amount, +amount) and the commit-time check skips only these
--          (ledger.proven_transactions, see the speed_up_posting migration).
-- Access: ledger.post_batch to service_role; ledger.transfer_batch_with_key to service_role, authenticated
--         by the key (AK001 unknown or revoked, AK002 without transfers.batch); the body is internal.
-- Risk: high (money). Tested in tests/integration/post_batch_test.ts (partial refusals, order, replays,
--       conflicts, limits, invariants) and the API in tests/integration/transfers_batch_api_test.ts.

-- The new API key scope.
alter table public.api_keys drop constraint api_keys_scopes_check;
alter table public.api_keys add constraint api_keys_scopes_check
  check (scopes <@ array['charges.create', 'transfers.batch']::text[]);

create or replace function private.insert_api_key(
  key_name text, account bigint, key_scopes text[], out id bigint, out api_key text, out prefix text
)
language plpgsql as $$
begin
  if key_name is null or length(btrim(key_name)) not between 1 and 80
     or key_scopes is null or not (key_scopes <@ array['charges.create', 'transfers.batch']::text[]) then
    raise exception 'invalid_api_key_input' using errcode = 'AK005',
      detail = 'A name of 1 to 80 characters and known scopes are required.';
  end if;
  api_key := 'pk_live_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  prefix := left(api_key, 12);
  insert into public.api_keys (name, prefix, key_hash, scopes, account_id, created_by)
  values (btrim(key_name), insert_api_key.prefix, private.api_key_hash(api_key),
          array(select distinct s from unnest(key_scopes) s order by s), account, auth.uid())
  returning api_keys.id into insert_api_key.id;
end $$;

create function ledger.post_transfer_batch(scope text, transfers jsonb, extra_metadata jsonb default '{}')
returns table (item integer, transaction_id bigint, created boolean, error text)
language plpgsql as $$
#variable_conflict use_column
declare
  n integer;
  creator uuid := auth.uid();
  -- Per item (1..n): the parsed request and what became of it.
  from_users uuid[];
  to_users uuid[];
  amounts bigint[];
  keys text[];
  notes text[];
  hashes uuid[];
  key_groups integer[];   -- the first item of the batch with the same key
  from_slots integer[];
  to_slots integer[];
  errors text[];
  posted bigint[];
  new_ids bigint[];
  fresh boolean[];
  replays_item integer[]; -- an earlier item of this batch whose transaction this item replays
  earlier_ids bigint[];
  earlier_hashes uuid[];
  -- Per key group: the item of this batch that posted the key.
  holder integer[];
  -- Per wallet slot (the distinct wallets of the batch, ascending account id).
  slot_accounts bigint[];
  available bigint[];
  has_row boolean[];
  accepted integer[] := '{}'::integer[];
  g integer;
  changed_rows integer;
  expected_rows integer;
  announce ledger.wallet_balances[];
begin
  if transfers is null or jsonb_typeof(transfers) <> 'array' then
    raise exception 'batch_invalid' using errcode = 'LW028', detail = 'The batch is a JSON array of transfers.';
  end if;
  n := jsonb_array_length(transfers);
  if n not between 1 and 1000 then
    raise exception 'batch_invalid' using errcode = 'LW028',
      detail = format('A batch holds 1 to 1000 transfers, not %s.', n);
  end if;

  -- Parse: a field of the wrong shape makes its item invalid_input, never the whole batch.
  with parsed as (
    select e.ord::integer as ord, e.v,
      case when jsonb_typeof(e.v -> 'from') = 'string'
                and (e.v ->> 'from') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
           then (e.v ->> 'from')::uuid end as f,
      case when jsonb_typeof(e.v -> 'to') = 'string'
                and (e.v ->> 'to') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
           then (e.v ->> 'to')::uuid end as t,
      case when jsonb_typeof(e.v -> 'amount') = 'number' and (e.v ->> 'amount') ~ '^[0-9]{1,16}$'
           then (e.v ->> 'amount')::bigint end as a,
      case when jsonb_typeof(e.v -> 'idempotency_key') = 'string' then e.v ->> 'idempotency_key' end as k,
      case when jsonb_typeof(e.v -> 'note') = 'string' then nullif(btrim(e.v ->> 'note'), '') end as note
    from jsonb_array_elements(transfers) with ordinality as e (v, ord)
  ),
  checked as (
    select p.*,
      case
        when jsonb_typeof(p.v) <> 'object' or p.f is null or p.t is null
          or coalesce(jsonb_typeof(p.v -> 'note'), 'null') not in ('string', 'null')
          or length(p.note) > 200 then 'invalid_input'
        when p.k is null or length(p.k) not between 1 and 255 then 'invalid_idempotency_key'
        when p.a is null or p.a not between 1 and 1000000000000000 then 'invalid_amount'
        when p.f = p.t then 'self_transfer'
      end as refusal
    from parsed p
  )
  select array_agg(c.f order by c.ord), array_agg(c.t order by c.ord), array_agg(c.a order by c.ord),
         array_agg(c.k order by c.ord), array_agg(c.note order by c.ord), array_agg(c.refusal order by c.ord),
         -- The request hash exactly as ledger.post_transaction makes it for post_transfer.
         array_agg(case when c.refusal is null then
           md5((jsonb_build_object('kind', 'transfer'::ledger.transaction_kind)
             || jsonb_build_object('from', c.f, 'to', c.t, 'amount', c.a, 'note', c.note))::text)::uuid
         end order by c.ord)
  into from_users, to_users, amounts, keys, notes, errors, hashes
  from checked c;

  -- Per item: the first item with its key, and the transaction that already holds the key in this scope.
  select array_agg(x.grp order by x.ord), array_agg(x.id order by x.ord), array_agg(x.request_hash order by x.ord)
  into key_groups, earlier_ids, earlier_hashes
  from (select k.ord::integer as ord, min(k.ord) over (partition by k.key)::integer as grp, t.id, t.request_hash
        from unnest(keys) with ordinality as k (key, ord)
        left join ledger.transactions t on t.idempotency_scope = scope and t.idempotency_key = k.key) x;

  -- Wallets: one look-up for every user of the batch (the rare user without a wallet yet gets one), and a
  -- slot per wallet in ascending account id.
  with users as (
    select distinct u from unnest(from_users || to_users) as u where u is not null
  ),
  found as (
    select u.u, a.id from users u join ledger.accounts a on a.user_id = u.u and a.kind = 'wallet'
  ),
  made_now as (
    select u.u, ledger.wallet_account_id(u.u) as id
    from users u where not exists (select 1 from found f where f.u = u.u)
  ),
  wallets as (select * from found union all select * from made_now where id is not null),
  slots as (select w.u, w.id, row_number() over (order by w.id)::integer as slot from wallets w)
  select (select array_agg(s.id order by s.slot) from slots s),
         array_agg(fs.slot order by x.o), array_agg(ts.slot order by x.o)
  into slot_accounts, from_slots, to_slots
  from unnest(from_users, to_users) with ordinality as x (f, t, o)
  left join slots fs on fs.u = x.f
  left join slots ts on ts.u = x.t;
  slot_accounts := coalesce(slot_accounts, '{}');

  -- Lock the batch's wallet rows in ascending account id, as every posting does, and read what each holds.
  if cardinality(slot_accounts) > 0 then
    select array_agg(coalesce(b.available, 0) order by s.slot), array_agg(b.account_id is not null order by s.slot)
    into available, has_row
    from unnest(slot_accounts) with ordinality as s (id, slot)
    left join (select w.account_id, w.balance - w.held as available from ledger.wallet_balances w
               where w.account_id = any (slot_accounts) order by w.account_id for no key update) b
      on b.account_id = s.id;
  end if;

  -- Decide the items in order, as if posted one after another.
  fresh := array_fill(false, array[n]);
  replays_item := array_fill(null::integer, array[n]);
  posted := array_fill(null::bigint, array[n]);
  holder := array_fill(null::integer, array[n]);
  for i in 1..n loop
    continue when errors[i] is not null;
    g := key_groups[i];
    if earlier_ids[i] is not null then
      -- Posted before this batch: a replay, or a different request under the same key.
      if earlier_hashes[i] is distinct from hashes[i] then
        errors[i] := 'idempotency_conflict';
      else
        posted[i] := earlier_ids[i];
      end if;
    elsif holder[g] is not null then
      -- Posted by an earlier item of this batch.
      if hashes[holder[g]] is distinct from hashes[i] then
        errors[i] := 'idempotency_conflict';
      else
        replays_item[i] := holder[g];
      end if;
    elsif from_slots[i] is null then
      errors[i] := 'account_not_found';
    elsif to_slots[i] is null then
      errors[i] := 'recipient_not_found';
    elsif not coalesce(has_row[from_slots[i]], false) or available[from_slots[i]] < amounts[i] then
      errors[i] := 'insufficient_funds';
    else
      available[from_slots[i]] := available[from_slots[i]] - amounts[i];
      available[to_slots[i]] := available[to_slots[i]] + amounts[i];
      fresh[i] := true;
      holder[g] := i;
      accepted := accepted || i;
    end if;
  end loop;

  if cardinality(accepted) > 0 then
    -- The transactions; a key that another database transaction has just posted fails the batch whole.
    begin
      with inserted as (
        insert into ledger.transactions
          (kind, idempotency_scope, idempotency_key, request_hash, metadata, created_by)
        select 'transfer', scope, keys[a.i], hashes[a.i],
               jsonb_strip_nulls(jsonb_build_object('from_user', from_users[a.i], 'to_user', to_users[a.i],
                 'note', notes[a.i])) || coalesce(extra_metadata, '{}'),
               creator
        from unnest(accepted) as a (i)
        order by a.i
        returning id, idempotency_key
      )
      select array_agg(ins.id order by a.i) into new_ids
      from unnest(accepted) as a (i) join inserted ins on ins.idempotency_key = keys[a.i];
    exception when unique_violation then
      raise exception 'batch_retry' using errcode = 'LW029',
        detail = 'Another request posted one of these idempotency keys at the same moment; send the batch again.';
    end;
    for j in 1..cardinality(accepted) loop
      posted[accepted[j]] := new_ids[j];
    end loop;

    -- The legs, -amount then +amount: each transaction sums to zero by construction, so the commit-time
    -- check may skip these transactions (and only while this statement runs).
    perform set_config('ledger.proven_transactions', (select min(x) || '-' || max(x) from unnest(new_ids) x), true);
    insert into ledger.entries (transaction_id, leg, account_id, amount)
    select posted[a.i], l.leg,
           case when l.leg = 1 then slot_accounts[from_slots[a.i]] else slot_accounts[to_slots[a.i]] end,
           case when l.leg = 1 then -amounts[a.i] else amounts[a.i] end
    from unnest(accepted) as a (i), (values (1::smallint), (2::smallint)) as l (leg)
    order by posted[a.i], l.leg;
    perform set_config('ledger.proven_transactions', '', true);

    -- The balances: one update per wallet row, under the same guard (and check constraints) as ever.
    with deltas as (
      select d.account, sum(d.delta) as delta
      from (select slot_accounts[from_slots[a.i]] as account, -amounts[a.i] as delta from unnest(accepted) as a (i)
            union all
            select slot_accounts[to_slots[a.i]], amounts[a.i] from unnest(accepted) as a (i)) d
      group by d.account
    ),
    changed as (
      update ledger.wallet_balances b set balance = b.balance + d.delta, updated_at = now()
      from deltas d
      where b.account_id = d.account and b.balance - b.held + d.delta >= 0
      returning b.*
    )
    select (select array_agg(row(c.*)::ledger.wallet_balances order by c.account_id) from changed c), (select count(*) from changed),
           (select count(*) from deltas)
    into announce, changed_rows, expected_rows;
    if changed_rows <> expected_rows then
      -- Cannot happen with the rows locked above; the guard stays, as in post_transaction.
      raise exception 'insufficient_funds' using errcode = 'LW001', detail = 'A wallet of the batch cannot cover it.';
    end if;
    perform ledger.announce_wallet_changes(announce, array(select (a).user_id from unnest(announce) a));
  end if;

  for i in 1..n loop
    if replays_item[i] is not null then
      posted[i] := posted[replays_item[i]];
    end if;
  end loop;
  return query
    select k.i, case when errors[k.i] is null then posted[k.i] end, fresh[k.i], errors[k.i]
    from generate_series(1, n) as k (i)
    order by k.i;
end $$;
comment on function ledger.post_transfer_batch(text, jsonb, jsonb) is
  'The body of post_batch and transfer_batch_with_key: up to 1000 transfers {from, to, amount, idempotency_key, note?} between wallets, decided in order, each posted, replayed or refused on its own. Internal.';
revoke execute on function ledger.post_transfer_batch(text, jsonb, jsonb) from public, anon, authenticated, service_role;

create function ledger.post_batch(transfers jsonb)
returns table (item integer, transaction_id bigint, created boolean, error text)
language plpgsql security definer set search_path = '' as $$
begin
  return query select * from ledger.post_transfer_batch(ledger.caller_scope(), transfers);
end $$;
comment on function ledger.post_batch(jsonb) is
  'Service: up to 1000 transfers between users'' wallets in one statement, [{from, to, amount, idempotency_key, note?}], decided in order; one row per item: its transaction (null when refused), whether this call posted it, and the refusal code. Keys in the caller''s scope, shared with post_transfer.';
revoke execute on function ledger.post_batch(jsonb) from public, anon, authenticated;
grant execute on function ledger.post_batch(jsonb) to service_role;

create function ledger.transfer_batch_with_key(api_key text, transfers jsonb)
returns table (item integer, transaction_id bigint, created boolean, error text, api_key_id bigint)
language plpgsql security definer set search_path = '' as $$
declare
  key_row public.api_keys;
begin
  select * into key_row from public.api_keys k where k.key_hash = private.api_key_hash(api_key);
  if key_row.id is null or key_row.revoked_at is not null then
    raise exception 'api_key_invalid' using errcode = 'AK001';
  end if;
  if not 'transfers.batch' = any (key_row.scopes) then
    raise exception 'api_key_scope' using errcode = 'AK002', detail = 'This key lacks the transfers.batch scope.';
  end if;
  update public.api_keys k set last_used_at = now()
  where k.id = key_row.id and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute');
  return query select b.item, b.transaction_id, b.created, b.error, key_row.id
    from ledger.post_transfer_batch('apikey:' || key_row.id, transfers,
      jsonb_build_object('api_key_id', key_row.id)) b;
end $$;
comment on function ledger.transfer_batch_with_key(text, jsonb) is
  'Service, authenticated by an API key (transfers.batch): ledger.post_batch in the key''s idempotency scope (apikey:<id>); AK001 unknown or revoked key, AK002 no transfers.batch.';
revoke execute on function ledger.transfer_batch_with_key(text, jsonb) from public, anon, authenticated;
grant execute on function ledger.transfer_batch_with_key(text, jsonb) to service_role;
