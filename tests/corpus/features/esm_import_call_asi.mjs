// Feature: a statement that calls an imported function (or tag) right after a line that ASI
// ended (no semicolon; nanostores' computed store): the instrumenter calls imports as
// `(0, ns.f)(...)`, which must not continue the line before it.
import { record, tag, seen } from './lib/esm/calls.mjs';

let n = 0
const pick = n > 5
  ? 'big'
  : record

record('start')
tag`a${n}b`
function step() {
  n++
  const current = typeof pick === 'function' ? 'fn' : pick
  record(current + n)
  tag`tick${n}`
  switch (n) {
    case 2:
      n += 0
      record('case')
      break
    default:
  }
  {
    let inner = n * 2
    record(inner)
  }
}
let timer = setInterval(() => {
  step()
  console.log(n, seen.join(' '))
  if (n === 4) clearInterval(timer)
}, 2)
