// Feature: RegExp's legacy statics (RegExp.$1-$9, lastMatch, lastParen, leftContext,
// rightContext, input and their $-aliases), read right after a match in the same callback, as
// showdown does (`/¨(K|G)(\d+)\1/.test(s); RegExp.$1`). V8 has them; QuickJS-ng has none, so
// its host makes them for a program that reads them. (Read in a later callback they are not
// program state: the runtime's own matches in between change them, on any engine.)
const statics = () => JSON.stringify([RegExp.$1, RegExp.$2, RegExp.$3, RegExp.$9, RegExp.lastMatch, RegExp['$&'],
  RegExp.lastParen, RegExp['$+'], RegExp.leftContext, RegExp['$`'], RegExp.rightContext, RegExp["$'"], RegExp.input, RegExp.$_]);
class Sub extends RegExp {}
const steps = [
  ['test', () => /(\d+)-(\d+)/.test('call 555-1234 now')],
  ['failed match keeps the last', () => /(k)(e)y/.test('a key') && /(x)/.test('nothing')],
  ['replace g', () => 'a1b22c333'.replace(/([a-z])(\d+)/g, '$2')],
  ['replace fn', () => 'key=value'.replace(/(\w+)=(\w+)/, (m, k, v) => RegExp.$2 + '/' + v)],
  ['match', () => '2024-05-06'.match(/(\d+)-(\d+)-(\d+)/).length],
  ['match g', () => 'a,b,c'.match(/(\w)/g).join('')],
  ['matchAll', () => [...'x1y2'.matchAll(/([a-z])(\d)/g)].length],
  ['exec, a capture that did not take part', () => /(a)|(b)/.exec('zzb').index],
  ['sticky', () => { const re = /o(.)/y; re.lastIndex = 1; return re.exec('foobar')[1]; }],
  ['input is settable', () => { /(i)n/.test('pin'); RegExp.input = 'set'; return RegExp.input; }],
  ['$1 is not', () => { /(o)n/.test('on'); RegExp.$1 = 'ignored'; return RegExp.$1; }],
  ['subclass', () => new Sub('(q)').test('aqb')],
  ['named group', () => /(?<year>\d{4})/.exec('in 1999!').groups.year],
  ['ten groups', () => /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)/.test('abcdefghij')],
];
// a markdown-like pass: markers found by test() and read back through RegExp.$1/$2
const blocks = ['<pre>x</pre>', '<p>y</p>'];
let doc = '';
let n = 0;
const iv = setInterval(() => {
  const [name, run] = steps[n];
  const result = run();
  console.log(n, name, JSON.stringify(result), statics());
  doc += '¨K' + (n % 2) + 'K ';
  let text = doc;
  const seen = [];
  while (/¨(K|G)(\d+)\1/.test(text)) {
    const num = RegExp.$2;
    seen.push(RegExp.$1 + num);
    text = text.replace(/¨(K|G)\d+\1/, blocks[num]);
  }
  console.log(' ', seen.join(','), text.length);
  if (++n === steps.length) clearInterval(iv);
}, 2);
