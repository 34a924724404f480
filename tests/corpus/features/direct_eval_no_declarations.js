// Feature: a direct eval that declares nothing in the function around it runs and moves. In
// sloppy code its text is a literal without `var` or function declarations (reading and
// writing the function's variables, a template without substitutions, a non-string) or one
// that says 'use strict' (its `var` stays its own); in strict code the text may be made at run
// time. The variables the eval can see move with the closures over them, and the closures made
// in the same functions move too. (A sloppy one that may declare is refused when instrumenting:
// tests/test_cli_core.py.)
function makeCounter(start) {
  let count = start;
  const history = [];
  return {
    step() {
      eval('count += 1; history.push(count)');
      if (count > 0) {
        let twice = 2; // a block of its own around the eval
        return eval(`count * twice`);
      }
      return 0;
    },
    same: () => eval(42) === 42 && eval() === undefined,
    strictVar() {
      return eval('"use strict"; var local = count + 100; local') + ' ' + typeof local;
    },
    last: () => history.slice(-3).join(','),
  };
}

function strictCalc(base) {
  'use strict';
  let acc = base;
  const ops = [];
  // text made at run time: strict eval code cannot declare in the function around it
  return (op, n) => {
    ops.push(op);
    acc = eval(`acc ${op} ${n}`);
    return `${acc} after ${ops.join('')}`;
  };
}

const counter = makeCounter(10);
const calc = strictCalc(1);
const kept = { counter, calc, again: calc };

let n = 0;
const t = setInterval(() => {
  n++;
  console.log(counter.step(), counter.last(), counter.same(), counter.strictVar());
  console.log(kept.calc(n % 2 ? '+' : '*', n), kept.again === calc);
  if (n === 5) clearInterval(t);
}, 3);
