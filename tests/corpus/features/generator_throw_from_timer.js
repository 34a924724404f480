// Feature: generator.throw() called from timers: caught inside the generator
// (which keeps going), and later uncaught (propagates to the caller, caught
// there); a finally block runs when the error escapes.
function* parser() {
  let errors = 0;
  let tokens = [];
  try {
    while (true) {
      try {
        const t = yield tokens.length;
        tokens.push(t);
      } catch (e) {
        errors++;
        console.log('recovered from', e.message, 'errors', errors);
        if (errors === 2) throw new Error(`fatal after ${tokens.join('')}`);
      }
    }
  } finally {
    console.log('parser finally', tokens.length, errors);
  }
}
const p = parser();
p.next();
const steps = ['a', 'b', new Error('e1'), 'c', new Error('e2'), 'd'];
let i = 0;
function step() {
  const s = steps[i++];
  try {
    const r = s instanceof Error ? p.throw(s) : p.next(s);
    console.log('step', i, r.value, r.done);
  } catch (e) {
    console.log('escaped', e.message);
  }
  if (i < steps.length) setTimeout(step, 3);
}
setTimeout(step, 3);
