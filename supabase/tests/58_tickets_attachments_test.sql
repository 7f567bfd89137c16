-- pgTAP: attachment metadata — the ticket's customer and staff attach files (checked name, size, type); a
-- stranger cannot, a customer cannot attach to an internal note nor see files of one.
begin;
select plan(9);

select tests.create_user('alice@tk-files.test', id => 'c8000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@tk-files.test', id => 'c8000000-0000-4000-8000-00000000000b');
select tests.create_user('ann@tk-files.test', 'agent', id => 'c8000000-0000-4000-8000-0000000000a1');
create temp table t (name text primary key, id bigint) on commit drop;
grant all on t to authenticated;
select tests.act_as('c8000000-0000-4000-8000-00000000000a');
insert into t select 'ticket', (tickets.open('receipt', 'see the screenshot')).id;
select tests.act_as('c8000000-0000-4000-8000-0000000000a1');
insert into t select 'note', (tickets.post_message((select id from t where name = 'ticket'), 'bank log', true)).id;

select tests.act_as('c8000000-0000-4000-8000-00000000000a');
select is((tickets.add_attachment((select id from t where name = 'ticket'), 'receipt.png', 120000, 'image/png')).path,
  (select id from t where name = 'ticket') || '/receipt.png', 'the customer attaches a screenshot at {ticket_id}/{name}');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'receipt.png', 10, 'image/png')$$,
  'TK010', null, 'a second file of the same name is refused');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'big.pdf', 10485761, 'application/pdf')$$,
  'TK010', null, 'more than 10 MB is refused');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'x.exe', 10, 'application/x-msdownload')$$,
  'TK010', null, 'another type is refused');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), '../x.png', 10, 'image/png')$$,
  'TK010', null, 'a name with a slash is refused');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'x.png', 10, 'image/png',
  (select id from t where name = 'note'))$$, 'TK010', null, 'a customer cannot attach to an internal note');

select tests.act_as('c8000000-0000-4000-8000-0000000000a1');
select lives_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'log.txt', 10, 'text/plain',
  (select id from t where name = 'note'))$$, 'staff attach to their internal note');

select tests.act_as('c8000000-0000-4000-8000-00000000000a');
select results_eq($$select name from public.ticket_attachments where ticket_id = (select id from t where name = 'ticket')$$,
  $$values ('receipt.png'::text)$$, 'the customer sees their file, not the internal note''s');

select tests.act_as('c8000000-0000-4000-8000-00000000000b');
select throws_ok($$select tickets.add_attachment((select id from t where name = 'ticket'), 'y.png', 10, 'image/png')$$,
  'TK001', null, 'a stranger cannot attach to another customer''s ticket');

select * from finish();
rollback;
