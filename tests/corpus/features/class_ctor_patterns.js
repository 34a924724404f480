// Feature: classes with #private state (restore makes their instances by constructing them
// quietly) whose constructors take patterns and defaults: `constructor({ second, minute })`
// (cron-parser's CronFieldCollection), array patterns with a rest element, defaults that
// would run program code, a subclass passing them on with super(...), and subclasses of
// Array, Map and Error with private fields. Nothing of the constructors runs at restore.
let sideEffects = 0;
const mark = () => { sideEffects++; return 'default'; };

class Fields {
  #second; #minute;
  constructor({ second, minute: { at = mark() } = {} }, [first, ...rest] = [mark()], label = mark()) {
    this.#second = second;
    this.#minute = at;
    this.first = first;
    this.rest = rest;
    this.label = label;
  }
  get second() { return this.#second; }
  describe() { return `${this.#second}/${this.#minute}/${this.first}/${this.rest.join('+')}/${this.label}`; }
}
class Timed extends Fields {
  #count = 0;
  constructor(opts, list) { super(opts, list, 'timed'); }
  bump() { return ++this.#count; }
}
class Stack extends Array { #peeks = 0; peek() { this.#peeks++; return `${this[this.length - 1]}#${this.#peeks}`; } }
class Registry extends Map { #hits = 0; hit(k) { this.#hits++; return `${this.get(k)}@${this.#hits}`; } }
class Failure extends Error { #code; constructor(message, { code = 'E_DEFAULT' } = {}) { super(message); this.#code = code; } get code() { return this.#code; } }

const fields = new Fields({ second: 5, minute: { at: 7 } }, [1, 2, 3], 'plain');
const timed = new Timed({ second: 9 }, ['a', 'b']);
const stack = Stack.from([1, 2]);
const pushed = new Stack();
pushed.push('p');
const reg = new Registry([['x', 'X']]);
const fail = new Failure('boom', { code: 'E_BOOM' });
const atStart = sideEffects;
let tick = 0;
const timer = setInterval(() => {
  tick++;
  stack.push(tick);
  reg.set('t' + tick, tick);
  console.log(tick, fields.describe(), timed.describe(), timed.bump(), stack.peek(), stack.length, pushed.peek(), reg.hit('x'), reg.size,
    fail.message, fail.code, fail instanceof Failure, sideEffects === atStart);
  if (tick === 5) clearInterval(timer);
}, 2);
