-- pgTAP: Persian-correct search — tickets.normalize_search folds Arabic vs Persian letters, ZWNJ vs space,
-- Persian/Arabic-Indic vs Latin digits and diacritics, and tickets.search finds tickets either way.
begin;
select plan(12);

select is(tickets.normalize_search('علي'), 'علی', 'Arabic yeh ي → Persian ی');
select is(tickets.normalize_search('كتاب'), 'کتاب', 'Arabic kaf ك → Persian ک');
select is(tickets.normalize_search('هزينة'), 'هزینه', 'teh marbuta ة → ه');
select is(tickets.normalize_search('می' || chr(8204) || 'خواهم'), 'می خواهم', 'ZWNJ → space');
select is(tickets.normalize_search('۱۲۳۴۵۶۷۸۹۰'), '1234567890', 'Persian digits → Latin');
select is(tickets.normalize_search('١٢٣'), '123', 'Arabic-Indic digits → Latin');
select is(tickets.normalize_search('مُحَمَّد'), 'محمد', 'Arabic diacritics removed');
select is(tickets.normalize_search('Café  RÉSUMÉ'), 'cafe resume', 'Latin diacritics and case folded, spaces collapsed');

select tests.create_user('alice@tk-search.test', id => 'c7000000-0000-4000-8000-00000000000a');
select tests.act_as('c7000000-0000-4000-8000-00000000000a');
select tickets.open('پرداخت ناموفق ۴۵۰۰۰ تومان', 'مبلغ از كارت كسر شد ولی کیف‌پول شارژ نشد') is not null as opened;
select is((select count(*)::int from tickets.search('كيف پول')), 1, 'Arabic letters and a space find ZWNJ text');
select is((select count(*)::int from tickets.search('کارت کسر')), 1, 'Persian letters find Arabic-letter text');
select is((select count(*)::int from tickets.search('45000')), 1, 'Latin digits find Persian digits');
select is((select count(*)::int from tickets.search('ناموفق')) + (select count(*)::int from tickets.search('یافت نشد')), 1,
  'a word matches, an absent phrase does not');

select * from finish();
rollback;
