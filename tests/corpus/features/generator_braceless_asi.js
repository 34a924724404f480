// Feature: the generator/async rewrite of braceless statements whose test suspends, and
// statements ended by ASI (no semicolons anywhere): if/else, while, for, do-while, labelled
// loops, returns and throws, in generators and async functions, moved at every tick.
function* steps() {
  let a = 0
  if (yield 'if') a++
  else a--
  while (yield 'while') a += 10
  for (let i = 0; yield 'for'; i++) a += 100 * (i + 1)
  do a += 1000
  while (yield 'do')
  if (yield 'if2') a++; else a--
  outer: for (;;) if (yield 'labelled') break outer
  else continue outer
  if (!(yield 'ret')) return a
  a = -a
  throw new Error('boom ' + a)
}
const answers = [true, true, false, true, true, false, false, true, false, false, true, false]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function poll(limit) {
  let n = 0, seen = []
  while (await sleep(2).then(() => n < limit)) n++
  if (await sleep(1).then(() => n % 2)) seen.push('odd')
  else seen.push('even')
  for (let j = 0; await sleep(1).then(() => j < 2); j++) seen.push(j)
  do seen.push('d')
  while (await sleep(1).then(() => seen.length < 6))
  return n + ':' + seen.join(',')
}
const it = steps()
let k = 0
const t = setInterval(() => {
  let r
  try { r = it.next(answers[k++ % answers.length]) } catch (e) { r = { done: true, value: e.message } }
  console.log(k, JSON.stringify(r))
  if (r.done) {
    clearInterval(t)
    poll(3).then((s) => console.log('poll', s))
  }
}, 3)
