-- pgTAP: the one-statement payment steps (migration 20261201080000): payments.admit_callback's verdicts and
-- budget, payments.record_events, and that both are the server's alone.
begin;
select plan(13);

select tests.create_user('payer-43@test.local', id => '43000000-0000-4000-8000-000000000001');
-- One pending payment, opened by its payer.
select tests.act_as('43000000-0000-4000-8000-000000000001');
create temporary table opened as select payments.create_pending(50000, 'test top-up', '0123456789abcdef') as id;
grant select on opened to authenticated, service_role;
select throws_ok($$select * from payments.admit_callback((select min(id) from opened), null, 'OK', 5, 600)$$,
  '42501', null, 'a user cannot admit a callback');
select throws_ok($$select payments.record_events((select min(id) from opened), '[]')$$, '42501', null,
  'a user cannot record gateway exchanges');

select tests.act_as_service();
select payments.attach_authority((select min(id) from opened), 'S0000000000000000000000000000000043a');
select is((select verdict from payments.admit_callback(-1, null, 'OK', 5, 600)), 'not_found', 'unknown payment');
select is((select verdict from payments.admit_callback((select min(id) from opened), 'S0000000000000000000000000000000043b', 'OK', 5, 600)),
  'authority_mismatch', 'another authority is refused');
select is((select count(*)::int from public.payment_events where payment_id = (select min(id) from opened)), 0,
  'a refused callback stores nothing');
select results_eq(
  $$select verdict, hits from payments.admit_callback((select min(id) from opened), 'S0000000000000000000000000000000043a', 'OK', 2, 600)
    union all select verdict, hits from payments.admit_callback((select min(id) from opened), null, 'NOK', 2, 600)
    union all select verdict, hits from payments.admit_callback((select min(id) from opened), null, 'OK', 2, 600)$$,
  $$values ('admitted', 1), ('admitted', 2), ('limited', 3)$$,
  'a pending payment admits callbacks up to its budget');
select results_eq(
  $$select kind, request from public.payment_events where payment_id = (select min(id) from opened) order by id$$,
  $$values ('callback', '{"Authority": "S0000000000000000000000000000000043a", "Status": "OK"}'::jsonb),
           ('callback', '{"Authority": null, "Status": "NOK"}'::jsonb)$$,
  'each admitted callback is stored once, a limited one not at all');

select is(payments.record_events((select min(id) from opened), $$[
  {"kind": "verify", "attempt": 1, "request": {"authority": "S…"}, "response_status": 200,
   "response_body": {"data": {"code": 100}}, "duration_ms": 12},
  {"kind": "inquiry", "request": {}, "error": "timeout: gave up", "duration_ms": -3}]$$), 2,
  'record_events stores every exchange of the step');
select results_eq(
  $$select kind, attempt::int, response_status, response_body, error, duration_ms from public.payment_events
    where payment_id = (select min(id) from opened) and kind <> 'callback' order by id$$,
  $$values ('verify', 1, 200, '{"data": {"code": 100}}'::jsonb, null::text, 12),
           ('inquiry', 1, null, null::jsonb, 'timeout: gave up', 0)$$,
  'in order, with answers, errors and times as given (no answer: no status or body)');
select throws_ok($$select payments.record_events((select min(id) from opened), '{}')$$, 'PY012', null,
  'events must be an array');

select is((select outcome from payments.settle((select min(id) from opened), 50000)), 'settled', 'settled');
select is((select verdict from payments.admit_callback((select min(id) from opened), null, 'OK', 2, 600)), 'final',
  'a final payment''s callback is free');
select is((select count(*)::int from public.payment_events where payment_id = (select min(id) from opened)
  and kind = 'callback'), 2, 'and stores nothing');

select * from finish();
