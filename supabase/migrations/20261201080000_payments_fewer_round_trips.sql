-- Purpose: fewer transactions per top-up (issue 13: top-ups ≥ 0.15× ledger transfers). A top-up took nine
--          transactions (18 round trips to Postgres): each gateway exchange and the callback were stored in
--          their own transaction, the callback read the payment twice and counted its budget in a third.
--          - payments.record_events stores a step's gateway exchanges (a JSON array) in one statement, so they
--            travel in the transaction of the state change they led to (attach_authority, settle, close);
--          - payments.admit_callback checks the callback's authority, counts its budget (only while the
--            payment is pending: a final payment's replays cost nothing) and stores the callback event, in one
--            statement.
--          A top-up is now four transactions: create_pending (as the user), request event + attach_authority,
--          admit_callback (+ the payment's row), verify event + settle.
-- Access: service_role only (as payments.record_event). SECURITY DEFINER, search_path ''.
-- Risk: medium (money path, but no money moves here): settle, its row lock and the payment:<id> idempotency
--       key are unchanged; events are still appended, one row per exchange, and never updated. Lock order:
--       record_events locks the payment's row (FOR UPDATE) before its inserts, so a step's transaction takes
--       that lock first whichever of its statements runs first.

create function payments.record_events(payment_id bigint, events jsonb) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  stored integer;
begin
  if jsonb_typeof(events) is distinct from 'array' then
    raise exception 'invalid_input' using errcode = 'PY012', detail = 'events must be a JSON array.';
  end if;
  -- The payment's row lock first, the lock settle (FOR UPDATE) and close (UPDATE) take next in the same
  -- transaction: the events' foreign-key check alone would take FOR KEY SHARE, and two callbacks settling
  -- the same payment would then each wait to upgrade it past the other's (a deadlock).
  perform 1 from public.payments p where p.id = record_events.payment_id for update;
  insert into public.payment_events
    (payment_id, kind, attempt, request, response_status, response_body, error, duration_ms)
  select record_events.payment_id, e.value ->> 'kind', greatest(coalesce((e.value ->> 'attempt')::integer, 1), 1),
         coalesce(e.value -> 'request', '{}'), (e.value ->> 'response_status')::integer,
         case when e.value ? 'response_body' then e.value -> 'response_body' end, left(e.value ->> 'error', 2000),
         greatest(coalesce((e.value ->> 'duration_ms')::integer, 0), 0)
  from jsonb_array_elements(events) with ordinality as e(value, n)
  order by e.n;
  get diagnostics stored = row_count;
  return stored;
end $$;
comment on function payments.record_events(bigint, jsonb) is
  'Appends a step''s gateway exchanges to payment_events in one statement (array of {kind, attempt, request, response_status, response_body, error, duration_ms}, in order); returns how many.';

create function payments.admit_callback(
  payment_id bigint, authority text, callback_status text, max_hits integer, window_seconds integer
) returns table (verdict text, hits integer)
language plpgsql security definer set search_path = '' as $$
declare
  payment record;
  limited record;
begin
  select p.status, p.authority into payment from public.payments p where p.id = admit_callback.payment_id;
  if not found then
    verdict := 'not_found';
    return next;
    return;
  end if;
  if admit_callback.authority is not null and admit_callback.authority is distinct from payment.authority then
    verdict := 'authority_mismatch';
    return next;
    return;
  end if;
  if payment.status <> 'pending' then
    -- Final: whatever the callback says changes nothing, so it costs nothing (no budget, no event).
    verdict := 'final';
    return next;
    return;
  end if;
  select * into limited from private.hit_rate_limit('payments:callback:' || admit_callback.payment_id,
    make_interval(secs => window_seconds), max_hits);
  hits := limited.hits;
  if not limited.allowed then
    verdict := 'limited';
    return next;
    return;
  end if;
  insert into public.payment_events (payment_id, kind, attempt, request, duration_ms)
  values (admit_callback.payment_id, 'callback', 1,
          jsonb_build_object('Authority', admit_callback.authority, 'Status', coalesce(callback_status, '')), 0);
  verdict := 'admitted';
  return next;
end $$;
comment on function payments.admit_callback(bigint, text, text, integer, integer) is
  'The callback''s first step: not_found, authority_mismatch, final (free), limited (over its budget per payment) or admitted (counted and stored as a callback event).';

revoke execute on function payments.record_events(bigint, jsonb),
  payments.admit_callback(bigint, text, text, integer, integer) from public, anon, authenticated;
grant execute on function payments.record_events(bigint, jsonb),
  payments.admit_callback(bigint, text, text, integer, integer) to service_role;
