-- Demo data for local runs (never applied to production). Accounts are created by the local stack
-- through the Auth emulator's admin API so passwords are hashed the way GoTrue hashes them; local/start.ts
-- applies this file after them (local/seed_accounts.ts `seedDemo`). Where the accounts do not exist yet
-- (db:migrate, db:reset on a fresh database) the parts that need them do nothing. Every part is idempotent:
-- a re-run (every `deno task start`) adds nothing.

-- The help desk: agent@pishkhan.local works every department (round-robin), a canned response in fa and en,
-- and a few tickets of user@pishkhan.local in Persian and English, in several statuses, with agent replies
-- and an internal note, dated over the last week as if the desk had been in use. Added only while
-- user@pishkhan.local has no ticket at all.
do $seed$
declare
  -- Tests replay the demo for accounts of their own (settings pishkhan.demo_customer / pishkhan.demo_agent).
  customer uuid := (select id from auth.users
                    where email = coalesce(nullif(current_setting('pishkhan.demo_customer', true), ''), 'user@pishkhan.local'));
  agent uuid := (select id from auth.users
                 where email = coalesce(nullif(current_setting('pishkhan.demo_agent', true), ''), 'agent@pishkhan.local'));
  spec jsonb;
  message jsonb;
  opened timestamptz;
  ticket public.tickets;
  sla tickets.sla_policies;
  due timestamptz[];
  responded timestamptz;
  resolved timestamptz;
  closed timestamptz;
  rated timestamptz;
  last_activity timestamptz;
  last_from_customer timestamptz;
begin
  if customer is null or agent is null then
    return;
  end if;

  insert into public.ticket_agents (user_id, available) values (agent, true) on conflict (user_id) do nothing;
  insert into public.ticket_agent_departments (user_id, department_id)
  select agent, d.id from public.ticket_departments d
  on conflict (department_id, user_id) do nothing;

  insert into public.ticket_canned_responses (department_id, title, body_fa, body_en, created_by)
  select d.id, 'Bank confirmation pending / در انتظار تأیید بانک',
         'سلام {{customer.name}}، پرداخت مربوط به تیکت {{ticket.number}} در درگاه ثبت شده و در انتظار تأیید بانک است. نتیجه حداکثر تا ۷۲ ساعت کاری مشخص می‌شود و اگر وجه برگشت بخورد، خودکار به کارت شما بازمی‌گردد.',
         'Hello {{customer.name}}, the payment in ticket {{ticket.number}} reached the gateway and is waiting for the bank''s confirmation. It settles within 72 business hours; if the bank declines it, the money returns to your card automatically.',
         agent
  from public.ticket_departments d
  where d.code = 'payments'
    and not exists (select from public.ticket_canned_responses c where c.title = 'Bank confirmation pending / در انتظار تأیید بانک');

  if exists (select from public.tickets t where t.customer_id = customer) then
    return;
  end if;

  -- One entry per ticket: `age` is how long ago it was opened; message `after` and the status times count
  -- from the opening. The SLA fields are derived below as the SQL API would have set them.
  for spec in select * from jsonb_array_elements($demo$[
    {
      "subject": "درخواست فاکتور رسمی برای شارژهای آبان",
      "body": "سلام، برای حسابداری شرکت به فاکتور رسمی همه شارژهای کیف‌پول در آبان ۱۴۰۵ نیاز دارم (به نام شرکت نوین‌تجارت، شناسه ملی ۱۰۱۰۳۴۵۶۷۸۹). امکان صدور دارد؟",
      "department": "general", "priority": "normal", "status": "open", "channel": "web", "assigned": true,
      "age": "25 minutes", "messages": []
    },
    {
      "subject": "پرداخت موفق بود ولی کیف پول شارژ نشد",
      "body": "سلام، امروز ساعت ۱۰:۲۰ مبلغ ۵۰۰٬۰۰۰ تومان با کارت بانک ملت پرداخت کردم. پیامک کسر وجه آمد ولی موجودی کیف‌پولم تغییری نکرد. شماره پیگیری: ۶۸۴۲۱۹",
      "department": "payments", "priority": "high", "status": "pending", "channel": "web", "assigned": true,
      "tags": ["بانک"], "age": "5 hours",
      "messages": [
        {"by": "agent", "after": "35 minutes", "internal": true,
         "body": "تراکنش در درگاه موفق ثبت شده ولی تأیید بانک هنوز نرسیده. اگر تا فردا تسویه نشد به واحد مالی ارجاع شود."},
        {"by": "agent", "after": "50 minutes",
         "body": "سلام، وقت بخیر. پرداخت شما در درگاه ثبت شده و در انتظار تأیید بانک است. لطفاً تصویر رسید بانکی یا پیامک کسر وجه را همین‌جا پیوست کنید تا پیگیری سریع‌تر انجام شود."}
      ]
    },
    {
      "subject": "Withdrawal to my IBAN has not arrived",
      "body": "I asked for a withdrawal of 2,000,000 rials to my IBAN two days ago. The app says it was sent, but my bank shows nothing yet. Could you check the transfer reference?",
      "department": "payments", "priority": "normal", "status": "open", "channel": "api", "assigned": false,
      "age": "1 day 3 hours",
      "messages": [
        {"by": "customer", "after": "22 hours", "body": "Any update on this? It is still not in my account."}
      ]
    },
    {
      "subject": "کد تأیید پیامکی برایم ارسال نمی‌شود",
      "body": "هنگام ورود، کد یک‌بار مصرف به شماره ۰۹۱۲۳۴۵۶۷۸۹ نمی‌رسد. دو بار هم «ارسال دوباره» را زدم.",
      "department": "technical", "priority": "normal", "status": "resolved", "channel": "web", "assigned": true,
      "age": "2 days 4 hours", "resolved": "3 hours 10 minutes",
      "messages": [
        {"by": "agent", "after": "1 hour 40 minutes",
         "body": "سلام، ارسال پیامک از سمت اپراتور برای مدتی مختل بود و اکنون برطرف شده است. لطفاً دوباره تلاش کنید و نتیجه را اطلاع دهید."},
        {"by": "customer", "after": "3 hours", "body": "الان کد رسید، ممنون از پیگیری."}
      ]
    },
    {
      "subject": "How do I change the phone number on my account?",
      "body": "I have a new SIM card. How can I move my account to the new number without losing my wallet balance?",
      "department": "general", "priority": "low", "status": "closed", "channel": "web", "assigned": true,
      "age": "6 days", "resolved": "4 hours 10 minutes", "closed": "1 day 2 hours",
      "rating": {"score": 5, "comment": "Quick and clear answer, thanks.", "after": "1 day 3 hours"},
      "messages": [
        {"by": "agent", "after": "2 hours",
         "body": "Hello! Open Profile → Phone number, enter the new number and confirm it with the code we text you. Your wallet balance and history stay exactly as they are."},
        {"by": "customer", "after": "4 hours", "body": "Done, that worked. Thanks!"}
      ]
    }
  ]$demo$::jsonb) loop
    opened := now() - (spec ->> 'age')::interval;
    select p.* into sla from tickets.sla_policies p
    join public.ticket_departments d on d.id = p.department_id
    where d.code = spec ->> 'department' and p.priority = (spec ->> 'priority')::public.ticket_priority;
    responded := opened + (select min((m ->> 'after')::interval) from jsonb_array_elements(spec -> 'messages') m
                           where m ->> 'by' = 'agent' and not coalesce((m ->> 'internal')::boolean, false));
    resolved := opened + (spec ->> 'resolved')::interval;
    closed := opened + (spec ->> 'closed')::interval;
    rated := opened + (spec #>> '{rating,after}')::interval;
    last_from_customer := opened + coalesce((select max((m ->> 'after')::interval) from jsonb_array_elements(spec -> 'messages') m
                                             where m ->> 'by' = 'customer'), interval '0');
    last_activity := greatest(opened, opened + (select max((m ->> 'after')::interval) from jsonb_array_elements(spec -> 'messages') m),
                              resolved, closed, rated);
    -- first response due, resolution due, and their warnings at 80%, as tickets.open sets them
    due := array[tickets.business_minutes_add(opened, sla.first_response_minutes),
                 tickets.business_minutes_add(opened, sla.resolution_minutes),
                 tickets.business_minutes_add(opened, ceil(sla.first_response_minutes * 0.8)::integer),
                 tickets.business_minutes_add(opened, ceil(sla.resolution_minutes * 0.8)::integer)];

    insert into public.tickets (customer_id, subject, body, department_id, priority, status, channel, assignee_id, tags,
      first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at,
      first_responded_at, first_response_minutes, resolved_at, resolution_minutes, closed_at, pending_since,
      last_customer_message_at, sla_warning, sla_breached, csat_score, csat_comment, rated_at, created_at, updated_at)
    values (customer, spec ->> 'subject', spec ->> 'body', sla.department_id, sla.priority,
      (spec ->> 'status')::public.ticket_status, spec ->> 'channel',
      case when (spec ->> 'assigned')::boolean then agent end,
      coalesce((select array_agg(x) from jsonb_array_elements_text(spec -> 'tags') x), '{}'),
      due[1], due[2], due[3], due[4],
      responded, case when responded is not null then tickets.business_minutes_between(opened, responded) end,
      resolved, case when resolved is not null then tickets.business_minutes_between(opened, resolved) end,
      closed, case when spec ->> 'status' = 'pending' then responded end,
      last_from_customer,
      -- the flags the SLA job (tickets.check_sla) would have raised by now on a ticket still waiting for staff
      spec ->> 'status' in ('open', 'reopened') and ((responded is null and due[3] <= now()) or due[4] <= now()),
      spec ->> 'status' in ('open', 'reopened') and ((responded is null and due[1] <= now()) or due[2] <= now()),
      (spec #>> '{rating,score}')::smallint, spec #>> '{rating,comment}', rated, opened, last_activity)
    returning * into ticket;

    insert into public.ticket_messages (ticket_id, author_id, author_role, body, internal, created_at)
    select ticket.id, case when m ->> 'by' = 'agent' then agent else customer end,
           case when m ->> 'by' = 'agent' then 'staff' else 'customer' end,
           m ->> 'body', coalesce((m ->> 'internal')::boolean, false), opened + (m ->> 'after')::interval
    from jsonb_array_elements(spec -> 'messages') m
    order by (m ->> 'after')::interval;

    insert into public.ticket_events (ticket_id, actor_id, kind, from_status, to_status, data, created_at)
    select ticket.id, e.actor, e.kind, e.from_status, e.to_status, e.data, e.at
    from (values
      (customer, 'opened', null::public.ticket_status, 'open'::public.ticket_status, '{}'::jsonb, opened),
      (null::uuid, 'assigned', null, null, jsonb_build_object('assignee_id', agent, 'round_robin', true), opened),
      (agent, 'status', 'open', 'pending', '{}', ticket.pending_since),
      (agent, 'status', 'open', 'resolved', '{}', resolved),
      (customer, 'status', 'resolved', 'closed', '{}', closed),
      (customer, 'rated', null, null, jsonb_build_object('score', (spec #>> '{rating,score}')::int), rated)
    ) as e (actor, kind, from_status, to_status, data, at)
    where case e.kind
      when 'assigned' then ticket.assignee_id is not null
      when 'status' then e.to_status = 'pending' and ticket.status = 'pending'
                         or e.to_status = 'resolved' and resolved is not null
                         or e.to_status = 'closed' and closed is not null
      when 'rated' then rated is not null
      else true
    end;
  end loop;
end
$seed$;

-- Names for the seeded accounts (only where none is set: a name changed on /profile stays), so that the
-- history, receipts and notices name the other side of a transfer as they would for real customers.
update public.profiles p set full_name = x.full_name
from (values ('user@pishkhan.local', 'مریم کریمی'), ('agent@pishkhan.local', 'رضا احمدی'),
             ('finance@pishkhan.local', 'Sara Tehrani'), ('admin@pishkhan.local', 'Ali Moradi'))
       as x (email, full_name)
join auth.users u on u.email = x.email
where p.id = u.id and coalesce(p.full_name, '') = '';

-- The demo wallet: user@pishkhan.local topped up twice through Zarinpal (and once cancelled at the gateway), split
-- a lunch with agent@pishkhan.local and got money back from them, and asked for a withdrawal to a Mellat account
-- (pending: its amount is held). Everything goes through the functions the app calls — payments.settle credits
-- the wallet through gateway clearing exactly as the verify step does, ledger.post_transfer and
-- ledger.request_withdrawal (as the customer) post and hold as the pages do — so the ledger's invariants hold
-- and the notifications go out as they would. Added only while user@pishkhan.local has never had a ledger
-- entry; amounts in rials.
do $wallet$
declare
  customer uuid := (select id from auth.users where email = 'user@pishkhan.local');
  colleague uuid := (select id from auth.users where email = 'agent@pishkhan.local');
  -- The local Zarinpal sandbox's merchant as the app keys it (set by local/migrate.ts applySeed).
  merchant_key text := nullif(current_setting('pishkhan.merchant_key', true), '');
  top_up record;
  payment_id bigint;
begin
  if customer is null or colleague is null or merchant_key is null
     or exists (select 1 from ledger.entries e join ledger.accounts a on a.id = e.account_id
                where a.user_id = customer) then
    return;
  end if;

  for top_up in
    select * from (values
      (customer, 5000000::bigint, 'افزایش موجودی کیف پول', 'A000000000000000000000000000000DEMO1', 58231974::bigint,
       '603799******4321', true),
      (customer, 2000000, 'Wallet top-up', 'A000000000000000000000000000000DEMO2', 58231981, '610433******7788', true),
      (customer, 1000000, 'افزایش موجودی کیف پول', 'A000000000000000000000000000000DEMO3', null, null, false),
      (colleague, 1000000, 'افزایش موجودی کیف پول', 'A000000000000000000000000000000DEMO4', 58232010,
       '627353******0912', true)
    ) as t (payer, amount, description, authority, ref_id, card_pan, paid)
  loop
    insert into public.payments (user_id, amount, description, merchant_key, expires_at)
    values (top_up.payer, top_up.amount, top_up.description, merchant_key, now() + interval '30 minutes')
    returning id into payment_id;
    perform payments.attach_authority(payment_id, top_up.authority, 0, 'Merchant');
    if top_up.paid then
      perform payments.settle(payment_id, top_up.amount, top_up.ref_id, top_up.card_pan,
                              md5(top_up.card_pan), 0, 'Merchant');
    else
      perform payments.close(payment_id, 'cancelled', 'cancelled', -51, 'The payer cancelled at the gateway.');
    end if;
  end loop;

  perform ledger.post_transfer(customer, colleague, 350000, 'demo:lunch', 'سهم ناهار');
  perform ledger.post_transfer(colleague, customer, 450000, 'demo:cinema', 'Cinema tickets, paid back');

  -- As the customer (request_withdrawal reads auth.uid()), then back to no claims.
  perform set_config('request.jwt.claims', json_build_object('sub', customer, 'role', 'authenticated')::text, true);
  perform ledger.request_withdrawal(1500000, 'IR050120000000123456789000', 'demo:withdrawal');
  perform set_config('request.jwt.claims', '', true);
end
$wallet$;
