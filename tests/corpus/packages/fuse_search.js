// Package: fuse.js. A Fuse index with weighted keys; documents are added and
// removed over ticks and searched each tick.
const Fuse = require('fuse.js');

const books = [
  { title: 'Old Man and the Sea', author: { name: 'Hemingway' }, tags: ['sea'] },
  { title: 'The Lord of the Rings', author: { name: 'Tolkien' }, tags: ['fantasy'] },
  { title: 'The Hobbit', author: { name: 'Tolkien' }, tags: ['fantasy', 'dragons'] },
];
const fuse = new Fuse(books, { keys: [{ name: 'title', weight: 2 }, 'author.name', 'tags'], includeScore: true, threshold: 0.4, includeMatches: true });
const more = ['Sea of Dragons', 'Harry Potter', 'Dune', 'The Silmarillion', 'Seafarer', 'Ring of Fire'];
const queries = ['tolkien', 'sea', 'dragon', 'hobit', 'ring', '=Dune', 'fire', 'the'];
let n = 0;
const iv = setInterval(() => {
  n++;
  if (n <= more.length) fuse.add({ title: more[n - 1], author: { name: `A${n}` }, tags: [] });
  if (n === 5) fuse.remove((doc) => doc.title === 'Dune');
  for (const q of [queries[n % queries.length], queries[(n + 4) % queries.length]]) {
    const res = fuse.search(q, { limit: 3 });
    console.log(n, q, res.map((r) => `${r.item.title}@${r.score.toFixed(3)}`).join(' | '));
  }
  if (n === 7) { clearInterval(iv); console.log(fuse.getIndex().size(), new Fuse(books, { useExtendedSearch: true, keys: ['title'] }).search("'Hob").length); }
}, 3);
