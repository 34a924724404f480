'use strict';
// Promise-heavy: an async pipeline of stages (parse, validate, enrich, aggregate) over
// batches of records, every stage an async function awaiting the previous one and small
// promise chains; Promise.all fan-out per batch. Runs in a chain of setTimeout callbacks.

const BATCHES = 150, RECORDS = 1500;
let checksum = 0;
let batch = 0;

async function parse(i) { return { id: i, value: (i * 2654435761) % 1000, tags: i % 7 }; }
async function validate(r) { if (r.value < 0) throw new Error('bad'); return r; }
async function enrich(r) {
  const extra = await Promise.resolve(r.tags * 3);
  return { ...r, score: r.value + extra };
}
async function stage(i) {
  const r = await parse(i);
  const v = await validate(r);
  const e = await enrich(v);
  return e.score;
}
async function runBatch(b) {
  const jobs = [];
  for (let i = 0; i < RECORDS; i++) jobs.push(stage(b * RECORDS + i));
  const scores = await Promise.all(jobs);
  let sum = 0;
  for (const s of scores) sum = (sum + s) | 0;
  return Promise.resolve(sum).then((v) => v ^ b).catch(() => 0).finally(() => {});
}
function tick() {
  runBatch(batch).then((sum) => {
    checksum = (checksum * 31 + sum) >>> 0;
    if (++batch < BATCHES) setTimeout(tick, 0);
    else console.log('async_pipeline checksum', checksum);
  });
}
setTimeout(tick, 0);
