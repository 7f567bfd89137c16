-- pgTAP: templates are split once (notifications.template_parts, stored in generated columns) and filled by
-- notifications.render_parts; the text is the same as notifications.render's for every stored template and
-- for generated ones, a staff edit re-splits, and a payment's settlement renders without render's pattern
-- matching (issue 13: three render calls per top-up; fails on the previous migrations, which made 3).
begin;
select plan(7);

select tests.act_as_owner();
set local track_functions = 'all';

-- Every stored template and link, both locales, with every variable its event declares (amounts as rials).
create temporary table stored_cases on commit drop as
with data as (
  select e.key, jsonb_object_agg(v, case when v like '%amount%' then '-1234567' else v || ' «' || v || '»' end)
           filter (where v is not null) as data
  from public.notification_events e left join lateral unnest(e.variables) v on true
  group by e.key
)
select t.event, t.channel, t.locale, x.template, x.parts, coalesce(d.data, '{}') as data
from public.notification_templates t
join data d on d.key = t.event
cross join lateral (values (t.subject, t.subject_parts), (t.body, t.body_parts)) x(template, parts)
union all
select e.key, 'link', l.locale, e.link, e.link_parts, coalesce(d.data, '{}')
from public.notification_events e join data d on d.key = e.key cross join (values ('fa'), ('en')) l(locale)
where e.link is not null;

select ok((select count(*) from stored_cases) > 100, 'every stored template and link is checked');
select is(
  (select count(*)::int from stored_cases c
   where notifications.render_parts(c.parts, c.data, c.locale) is distinct from notifications.render(c.template, c.data, c.locale)),
  0, 'render_parts over the stored parts = render, for every stored template and link in fa and en');

-- Generated templates: placeholders with spaces, |toman, broken braces, unknown names, newlines, Persian text.
select setseed(0.64);
create temporary table generated_cases on commit drop as
select g.n, string_agg(tok.t, '' order by s.i) as template
from generate_series(1, 3000) g(n)
cross join lateral generate_series(1, 1 + (random() * 12)::int + (g.n * 0)) s(i)
cross join lateral (
  select (array['{{', '}}', '{', '}', 'amount', 'ref_id', 'x_1', 'Amount', ' ', '|', 'toman', '|toman', ' | toman ',
                'مبلغ ', E'\n', '9', '_', '{{amount}}', '{{ ref_id }}', '{{amount|toman}}'])[1 + floor(random() * 20 + s.i * 0)::int]
) tok(t)
group by g.n;
select is(
  (select count(*)::int from generated_cases c, (values ('fa'), ('en')) l(locale),
     (values ('{"amount": "1250000", "ref_id": "77", "x_1": "<b>"}'::jsonb), ('{"amount": "not a number"}'::jsonb)) d(data)
   where notifications.render_parts(notifications.template_parts(c.template), d.data, l.locale)
         is distinct from notifications.render(c.template, d.data, l.locale)),
  0, 'render_parts over template_parts = render, for 3,000 generated templates × 2 locales × 2 data sets');
select is(notifications.template_parts(null), null, 'no template, no parts');

-- A staff edit splits the template again.
update public.notification_templates set body = 'Top-up {{ amount | toman }}, ref {{ref_id}}.'
where event = 'payment.settled' and channel = 'in_app' and locale = 'en';
select is(
  (select body_parts from public.notification_templates
   where event = 'payment.settled' and channel = 'in_app' and locale = 'en'),
  array['Top-up ', 'amount', 'toman', ', ref ', 'ref_id', '', '.'],
  'an edited template is split again');

-- A settlement's in-app row: the same text as render makes, without render's pattern matching.
do $$ begin perform tests.create_user('parts@render.test', id => '6400000f-0000-4000-8000-000000000001'); end $$;
create temporary table calls_before on commit drop as
  select coalesce(pg_stat_get_xact_function_calls('notifications.render'::regproc), 0) as render;
select payments.on_settled(row(p.*)::public.payments) from (
  select -64 as id, '6400000f-0000-4000-8000-000000000001'::uuid as user_id
) q, lateral (select (jsonb_populate_record(null::public.payments,
  jsonb_build_object('id', q.id, 'user_id', q.user_id, 'amount', 1250000, 'ref_id', 778))).*) p;
select is(
  (select coalesce(pg_stat_get_xact_function_calls('notifications.render'::regproc), 0) - render from calls_before),
  0::bigint, 'settling does not call notifications.render');
select results_eq(
  $$select title, body, link from public.notifications where user_id = '6400000f-0000-4000-8000-000000000001'$$,
  $$select notifications.render(t.subject, d.data, 'fa'), notifications.render(t.body, d.data, 'fa'),
           notifications.render(e.link, d.data, 'fa')
    from public.notification_templates t join public.notification_events e on e.key = t.event,
         (select '{"amount": "1250000", "payment_id": "-64", "ref_id": "778"}'::jsonb as data) d
    where t.event = 'payment.settled' and t.channel = 'in_app' and t.locale = 'fa'$$,
  'payment.settled: the in-app title, body and link are what render makes');

select * from finish();
rollback;
