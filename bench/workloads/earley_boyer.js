'use strict';
// Earley-Boyer-like symbolic work. Boyer: terms as cons-like objects, a lemma table
// keyed by operator, one-way unification, rewriting to normal form and a tautology
// checker over if-then-else trees. Earley: a chart parser counting the parses of an
// ambiguous grammar. Alternating setTimeout callbacks run one or the other.

class Term {
  constructor(op, args) { this.op = op; this.args = args; }
  toString() { return this.args.length ? `(${this.op} ${this.args.join(' ')})` : `(${this.op})`; }
}

function parse(text) { // s-expressions: atoms are strings, lists are Terms
  const tokens = text.replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').trim().split(/\s+/);
  let pos = 0;
  const read = () => {
    const tok = tokens[pos++];
    if (tok !== '(') return tok;
    const op = tokens[pos++];
    const args = [];
    while (tokens[pos] !== ')') args.push(read());
    pos++;
    return new Term(op, args);
  };
  return read();
}

const equal = (a, b) => {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.op !== b.op || a.args.length !== b.args.length) return false;
  for (let i = 0; i < a.args.length; i++) if (!equal(a.args[i], b.args[i])) return false;
  return true;
};

class Rewriter {
  constructor(lemmas) {
    this.lemmas = new Map();
    this.rewrites = 0;
    for (const text of lemmas) {
      const l = parse(text); // (equal lhs rhs)
      const [lhs, rhs] = l.args;
      if (!this.lemmas.has(lhs.op)) this.lemmas.set(lhs.op, []);
      this.lemmas.get(lhs.op).push({ lhs, rhs });
    }
  }
  unify(term, pattern, subst) {
    if (typeof pattern === 'string') {
      if (subst.has(pattern)) return equal(term, subst.get(pattern));
      subst.set(pattern, term);
      return true;
    }
    if (typeof term === 'string' || term.op !== pattern.op || term.args.length !== pattern.args.length) return false;
    for (let i = 0; i < term.args.length; i++) if (!this.unify(term.args[i], pattern.args[i], subst)) return false;
    return true;
  }
  apply(subst, term) {
    if (typeof term === 'string') return subst.has(term) ? subst.get(term) : term;
    return new Term(term.op, term.args.map((a) => this.apply(subst, a)));
  }
  rewrite(term) {
    if (typeof term === 'string') return term;
    const t = new Term(term.op, term.args.map((a) => this.rewrite(a)));
    for (const { lhs, rhs } of this.lemmas.get(t.op) || []) {
      const subst = new Map();
      if (this.unify(t, lhs, subst)) { this.rewrites++; return this.rewrite(this.apply(subst, rhs)); }
    }
    return t;
  }
}

const LEMMAS = [
  '(equal (if (if a b c) d e) (if a (if b d e) (if c d e)))',
  '(equal (and p q) (if p (if q (t) (f)) (f)))',
  '(equal (or p q) (if p (t) (if q (t) (f))))',
  '(equal (not p) (if p (f) (t)))',
  '(equal (implies p q) (if p (if q (t) (f)) (t)))',
  '(equal (plus (plus x y) z) (plus x (plus y z)))',
  '(equal (times x (plus y z)) (plus (times x y) (times x z)))',
  '(equal (times (times x y) z) (times x (times y z)))',
  '(equal (append (append x y) z) (append x (append y z)))',
  '(equal (reverse (append a b)) (append (reverse b) (reverse a)))',
  '(equal (length (reverse x)) (length x))',
  '(equal (member x (append a b)) (or (member x a) (member x b)))',
  '(equal (member x (reverse y)) (member x y))',
  '(equal (exp i (plus j k)) (times (exp i j) (exp i k)))',
  '(equal (exp i (times j k)) (exp (exp i j) k))',
  '(equal (eqp x y) (equal (fix x) (fix y)))',
  '(equal (fix x) (if (numberp x) x (zero)))',
  '(equal (zerop x) (or (equal x (zero)) (not (numberp x))))',
  '(equal (difference x x) (zero))',
  '(equal (equal (plus a b) (zero)) (and (zerop a) (zerop b)))',
  '(equal (equal (times x y) (zero)) (or (zerop x) (zerop y)))',
  '(equal (lessp (remainder x y) y) (not (zerop y)))',
  '(equal (remainder x (one)) (zero))',
  '(equal (count-list z (sort-lp x y)) (plus (count-list z x) (count-list z y)))',
];

function tautology(x, trues, falses) {
  const isTrue = (t) => (typeof t !== 'string' && t.op === 't' && t.args.length === 0) || trues.some((u) => equal(u, t));
  const isFalse = (t) => (typeof t !== 'string' && t.op === 'f' && t.args.length === 0) || falses.some((u) => equal(u, t));
  if (isTrue(x)) return true;
  if (isFalse(x)) return false;
  if (typeof x === 'string' || x.op !== 'if') return false;
  const [test, then, otherwise] = x.args;
  if (isTrue(test)) return tautology(then, trues, falses);
  if (isFalse(test)) return tautology(otherwise, trues, falses);
  return tautology(then, [test, ...trues], falses) && tautology(otherwise, trues, [test, ...falses]);
}

const rewriter = new Rewriter(LEMMAS);
const THEOREM = '(implies (and (implies x y) (and (implies y z) (and (implies z u) (implies u w)))) (implies x w))';
const substitutions = (k) => new Map([
  ['x', parse(`(f (plus (plus a${k} b) (plus c (zero))))`)],
  ['y', parse(`(f (times (times a b${k}) (plus c (plus d e))))`)],
  ['z', parse(`(f (reverse (append (append a b) (append c${k} (nil)))))`)],
  ['u', parse(`(equal (plus a b) (difference x${k} y))`)],
  ['w', parse(`(lessp (remainder a b) (member a (length (reverse b${k}))))`)],
]);
const theorem = parse(THEOREM);

function boyerRound(k) {
  const term = rewriter.apply(substitutions(k), theorem);
  const normal = rewriter.rewrite(term);
  if (!tautology(normal, [], [])) throw new Error('not a tautology');
  return normal.toString().length;
}

const WAYS_MOD = 1000003; // keeps products of counts exact in doubles

class Earley { // counts derivations of S -> S S | a | ( S )
  constructor(rules, start) { this.rules = rules; this.start = start; }
  count(input) {
    const n = input.length;
    const chart = Array.from({ length: n + 1 }, () => new Map());
    const add = (i, item, ways) => {
      const key = `${item.lhs}|${item.rhs.join(' ')}|${item.dot}|${item.from}`;
      const prev = chart[i].get(key);
      if (prev) { prev.ways = (prev.ways + ways) % WAYS_MOD; return false; }
      chart[i].set(key, { ...item, ways });
      return true;
    };
    for (const rhs of this.rules[this.start]) add(0, { lhs: this.start, rhs, dot: 0, from: 0 }, 1);
    for (let i = 0; i <= n; i++) {
      const agenda = [...chart[i].values()];
      const done = new Set();
      while (agenda.length) {
        const item = agenda.shift();
        const next = item.rhs[item.dot];
        if (next === undefined) { // complete
          for (const parent of [...chart[item.from].values()]) {
            if (parent.rhs[parent.dot] === item.lhs) {
              const moved = { lhs: parent.lhs, rhs: parent.rhs, dot: parent.dot + 1, from: parent.from };
              if (add(i, moved, (parent.ways * item.ways) % WAYS_MOD)) agenda.push(chart[i].get(`${moved.lhs}|${moved.rhs.join(' ')}|${moved.dot}|${moved.from}`));
            }
          }
        } else if (this.rules[next]) { // predict
          if (done.has(next)) continue;
          done.add(next);
          for (const rhs of this.rules[next]) if (add(i, { lhs: next, rhs, dot: 0, from: i }, 1)) agenda.push(chart[i].get(`${next}|${rhs.join(' ')}|0|${i}`));
        } else if (input[i] === next) { // scan
          add(i + 1, { lhs: item.lhs, rhs: item.rhs, dot: item.dot + 1, from: item.from }, item.ways);
        }
      }
    }
    let total = 0;
    for (const item of chart[n].values()) if (item.lhs === this.start && item.from === 0 && item.dot === item.rhs.length) total = (total + item.ways) % WAYS_MOD;
    return total;
  }
}
const earley = new Earley({ S: [['S', 'S'], ['a'], ['(', 'S', ')']] }, 'S');

const TICKS = 10, BOYER_ROUNDS = 10, EARLEY_MAX = 80;
let tick = 0, checksum = 0;
function work() {
  if (tick % 2 === 0) {
    for (let k = 0; k < BOYER_ROUNDS; k++) checksum = (checksum * 31 + boyerRound(k)) % 1000000007;
  } else {
    for (let len = 8; len < EARLEY_MAX; len++) checksum = (checksum * 31 + earley.count('a(a)'.repeat(len >> 2) + 'a'.repeat(len & 3)) % 1000000007) % 1000000007;
  }
  if (++tick < TICKS) setTimeout(work, 0);
  else console.log('earley-boyer checksum', checksum, rewriter.rewrites);
}
setTimeout(work, 0);
