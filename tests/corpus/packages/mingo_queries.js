// Package: mingo 7 (MongoDB query language). A collection grows by a document per tick; a
// compiled Query, find with projection/sort/limit, an aggregation pipeline and update
// operators run on it. mingo's lazy iterators (`Lazy(array)`, one of them a module constant)
// hold iterators over arrays in their closures.
const mingo = require('mingo');
const { update } = require('mingo/updater');

const docs = [];
const active = new mingo.Query({ score: { $gte: 3 }, tags: { $in: ['b', 'c'] } });
const pipeline = [
  { $match: { score: { $gt: 0 } } },
  { $group: { _id: '$kind', total: { $sum: '$score' }, names: { $push: '$name' } } },
  { $sort: { total: -1, _id: 1 } },
  { $project: { _id: 0, kind: '$_id', total: 1, first: { $arrayElemAt: ['$names', 0] } } },
];
// a cursor made once and read one document per tick: its lazy source is an iterator over
// `docs`, which sees the documents pushed since
const live = active.find(docs, { name: 1, _id: 0 });
let n = 0;
const iv = setInterval(() => {
  n++;
  docs.push({ _id: n, name: 'doc' + n, score: (n * 5) % 7, kind: n % 3 ? 'odd' : 'even', tags: ['abc'[n % 3], 'x'] });
  update(docs[0], { $inc: { score: 1 }, $push: { tags: 't' + n } });
  const top = mingo.find(docs, { score: { $gte: 2 } }, { name: 1, score: 1, _id: 0 }).sort({ score: -1, name: 1 }).limit(3).all();
  const groups = mingo.aggregate(docs, pipeline);
  const next = live.hasNext() ? live.next().name : '-';
  console.log(n, docs.filter((d) => active.test(d)).length, next, JSON.stringify(top), JSON.stringify(groups),
    JSON.stringify(docs[0].tags.slice(-2)), docs[0].score);
  if (n === 8) clearInterval(iv);
}, 2);
