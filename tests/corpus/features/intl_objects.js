// Feature: Intl objects kept in the heap (formatters, collators, plural rules, list and
// relative-time formats, segmenters, display names, locales): they move as their resolved
// options and are made again; shared references stay shared, a subclass keeps its own
// properties. (QuickJS has no Intl: see KNOWN_FAILURES.txt.)
class Money extends Intl.NumberFormat {
  constructor(currency) { super('de-DE', { style: 'currency', currency }); this.currency = currency; }
  show(v) { return `${this.currency}:${this.format(v)}`; }
}
const date = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
const state = {
  date,
  sameDate: date,
  compact: new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 }),
  pct: new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1 }),
  money: new Money('EUR'),
  sv: new Intl.Collator('sv'),
  de: new Intl.Collator('de', { sensitivity: 'base', numeric: true }),
  ordinal: new Intl.PluralRules('en-US', { type: 'ordinal' }),
  rel: new Intl.RelativeTimeFormat('en', { numeric: 'auto' }),
  list: new Intl.ListFormat('en', { type: 'disjunction' }),
  words: new Intl.Segmenter('en', { granularity: 'word' }),
  regions: new Intl.DisplayNames('en', { type: 'region' }),
  locale: new Intl.Locale('fr-CA', { calendar: 'gregory' }),
  seen: [],
};
const suffix = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
let n = 0;
const t = setInterval(() => {
  n++;
  const s = state;
  s.seen.push(n);
  console.log(s.date.format(new Date(Date.UTC(2026, n, n * 3))), s.sameDate === s.date, s.compact.format(n * 123456), s.pct.format(n / 7));
  console.log(s.money.show(n * 1234.5), s.money instanceof Intl.NumberFormat, s.money.currency, Object.keys(s.money));
  console.log(['z', 'ä', 'a', 'ö'].sort(s.sv.compare).join(), ['x10', 'X9', 'x1'].sort(s.de.compare).join(), s.de.compare('a', 'A'));
  console.log(n + suffix[s.ordinal.select(n)], s.rel.format(-n, 'day'), s.list.format(s.seen.map(String)));
  console.log([...s.words.segment(`tick number ${n}, ok`)].filter((x) => x.isWordLike).length, s.regions.of(['FR', 'JP', 'BR'][n % 3]),
    s.locale.toString(), s.locale.language, s.date.resolvedOptions().timeZone);
  if (n === 5) clearInterval(t);
}, 4);
