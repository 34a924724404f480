// Feature: directive prologues ended by a newline (no semicolon), in the module, in
// functions, arrows, methods, generators and async functions; the instrumenter inserts
// code right after them, which must not glue onto the string.
'use strict'
'a second directive'
let ticks = 0
function counter(start) {
  'use strict'
  let k = start
  return () => ++k + ticks
}
const fromFn = counter(10)
const viaExpr = function () { "use strict"
  let hidden = 100
  return { bump: () => (hidden += 1) } }()
const arrow = (base) => { 'use strict'
  'x'
  return () => base * ticks }
const byArrow = arrow(3)
class Thing {
  constructor() { this.v = 1 }
  m() { 'use strict'
    const self = this
    return () => self.v++ }
}
const fromMethod = new Thing().m()
function* gen() {
  "use strict"
  let i = 0
  while (true) yield i++ * 2
}
async function later(x) { 'use strict'
  await new Promise((r) => setTimeout(r, 1))
  return x + 1 }
const it = gen()
const t = setInterval(async () => {
  ticks++
  console.log(ticks, fromFn(), viaExpr.bump(), byArrow(), fromMethod(), it.next().value, await later(ticks))
  if (ticks === 6) clearInterval(t)
}, 5)
