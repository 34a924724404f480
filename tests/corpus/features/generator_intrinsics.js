// The objects behind generators as the spec defines them, checked before and after moves: the
// links between %GeneratorFunction.prototype%, %GeneratorPrototype% and their async twins are
// read-only but configurable; a generator made by an anonymous generator expression (one
// held in an array, one called at once) inherits from that function's own `prototype`, so a
// method put there reaches its generators, also those suspended across a move.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function attrs(o, k) {
  const d = Object.getOwnPropertyDescriptor(o, k);
  return d ? `${d.writable ? 'w' : '-'}${d.enumerable ? 'e' : '-'}${d.configurable ? 'c' : '-'}` : 'absent';
}

const Gen = Object.getPrototypeOf(function* () {});
const AGen = Object.getPrototypeOf(async function* () {});
const AFn = Object.getPrototypeOf(async function () {});
function describe(label) {
  console.log(label, [
    attrs(Gen, 'prototype'), attrs(Gen, 'constructor'), attrs(Gen.prototype, 'constructor'),
    attrs(AGen, 'prototype'), attrs(AGen, 'constructor'), attrs(AGen.prototype, 'constructor'),
    attrs(AGen.prototype, Symbol.toStringTag), attrs(AFn, 'constructor'),
  ].join(' '));
  console.log(label, 'links', Gen.prototype.constructor === Gen, AGen.prototype.constructor === AGen);
}

const makers = [function* () { let i = 0; for (;;) yield i++; }, async function* () { yield 'a'; yield 'b'; }];
makers[0].prototype.twice = function () { return this.next().value * 2; };
makers[1].prototype.label = 'async maker';
const counter = makers[0]();
const letters = makers[1]();
const once = (function* () { yield 'first'; yield 'second'; })();

async function main() {
  describe('start');
  for (let step = 0; step < 3; step++) {
    await sleep(2);
    const l = await letters.next();
    console.log(step, counter.twice(), Object.getPrototypeOf(counter) === makers[0].prototype,
      letters.label, l.value, once.next().value);
  }
  describe('end');
  console.log('names', JSON.stringify(makers.map((f) => f.name)));
}
main();
