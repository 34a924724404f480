// Feature: tagged templates whose tag is not a plain name: TypeScript's CommonJS output
// `(0, lib_1.tag)`...`` (no receiver), parenthesised members (receiver kept), member tags
// whose base is evaluated once (a getter counts its reads), computed keys, `super.tag` and
// `this.#tag` in methods. The strings object of each site stays the same across moves.
const sites = new Map();
function record(name, strings) {
  if (!sites.has(name)) sites.set(name, strings);
  return sites.get(name) === strings;
}
const lib_1 = {
  tag(strings, ...values) {
    return `${this === lib_1 ? 'recv' : typeof this}:${strings.raw.join('_')}:${values.join('+')}:${record('lib' + strings.raw[0], strings)}`;
  },
};
let baseReads = 0;
const holder = {
  get lib() { baseReads++; return lib_1; },
};
class Base {
  tag(strings, ...values) { return `base(${this.name}):${strings[0]}${values[0]}:${record('super', strings)}`; }
}
class Child extends Base {
  #tag(strings, v) { return `priv(${this.name}):${strings[0]}${v}:${record('priv', strings)}`; }
  constructor(name) { super(); this.name = name; }
  run(n) { return [super.tag`s${n}`, this.#tag`p${n}`, (this).#tag`q${n}`]; }
}
const child = new Child('kid');
// Substitutions that suspend (generators, async functions): the tag is read first, with its
// receiver; and TypeScript's `(0, lib_1.fn)(await x)` calls.
const pause = (v) => new Promise((r) => setTimeout(() => r(v), 1));
lib_1.add = function (a, b) { return `${this === lib_1 ? 'recv' : typeof this}:${a + b}`; };
function* tagsInGenerator() {
  while (true) {
    const got = yield (0, lib_1.tag)`g${yield 'first'}h`;
    yield [lib_1][0].tag`m${got}${yield 'second'}`;
  }
}
async function tagsInAsync(n) {
  const a = (lib_1).tag`p${await pause(n)}q`;
  const b = lib_1['tag']`r${n}${await pause(n * 2)}`;
  return [a, b, (0, lib_1.add)(n, await pause(10)), lib_1.add(await pause(1), n)].join(' ');
}
const tagGen = tagsInGenerator();
const keyOf = () => 'tag';
let n = 0;
const t = setInterval(() => {
  n++;
  console.log((0, lib_1.tag)`a${n}b${n * 2}`);
  console.log((lib_1.tag)`paren${n}`, lib_1['tag']`computed${n}`, lib_1[keyOf()]`call${n}`);
  console.log(holder.lib.tag`getter${n}`, (holder.lib).tag`g2${n}`, holder.lib[keyOf()]`g3${n}`, 'base reads', baseReads);
  console.log((0, holder.lib.tag)`nothis${n}`, (n, lib_1.tag)`seq${n}`, 'base reads', baseReads);
  console.log(child.run(n).join(' | '), JSON.stringify(tagGen.next(n)));
  if (n === 5) {
    clearInterval(t);
    (async () => { for (let i = 1; i <= 3; i++) console.log(await tagsInAsync(i)); })();
  }
}, 4);
