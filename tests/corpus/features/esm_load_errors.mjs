// ES modules: a module that does not parse, link or load fails where Node fails it, when
// import() or require() loads it (the promise rejects, the require throws), not before
import loadBroken from './lib/esm/errors/loader.cjs';
const outcomes = [];
async function attempt(label, fn) {
  try { const v = await fn(); outcomes.push(`${label}: ok ${JSON.stringify(v)}`); }
  catch (e) { outcomes.push(`${label}: ${e.constructor.name}${e.code ? ' ' + e.code : ''}`); }
}
let n = 0;
const steps = [
  () => attempt('syntax', () => import('./lib/esm/errors/bad_syntax.mjs')),
  () => attempt('link', () => import('./lib/esm/errors/bad_link.mjs')),
  () => attempt('missing import', () => import('./lib/esm/errors/bad_import.mjs')),
  () => attempt('broken cjs', () => loadBroken()),
  () => attempt('bad json', () => import('./lib/esm/errors/bad.json', { with: { type: 'json' } })),
  () => attempt('json without type', () => import('./lib/esm/errors/good.json')),
  () => attempt('json', async () => (await import('./lib/esm/errors/good.json', { with: { type: 'json' } })).default.n),
  () => attempt('bad option', () => import('./lib/esm/errors/good.json', null)),
  () => attempt('again syntax', () => import('./lib/esm/errors/bad_syntax.mjs')),
];
async function next() {
  await steps[n++]();
  console.log(n, outcomes[outcomes.length - 1]);
  if (n < steps.length) setTimeout(next, 5);
}
setTimeout(next, 5);
