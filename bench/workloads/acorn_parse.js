'use strict';
// acorn: parse several real libraries (lodash, marked, esprima, acorn itself) as ES2022
// with a token callback and comment collection, then collect identifier frequencies
// with a recursive walker closure. One file per setTimeout callback.
const fs = require('fs');
const path = require('path');
const acorn = require('../../tests/node_modules/acorn');

const root = path.join(__dirname, '../../tests/node_modules');
const files = ['lodash/lodash.js', 'marked/lib/marked.cjs', 'esprima/dist/esprima.js', 'acorn/dist/acorn.js']
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(root, f), 'utf8') }));

function makeWalker(onIdentifier) {
  const walk = (node) => {
    if (node.type === 'Identifier') onIdentifier(node.name);
    for (const key in node) {
      const v = node[key];
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) { for (const c of v) if (c !== null && typeof c.type === 'string') walk(c); }
      else if (typeof v.type === 'string') walk(v);
    }
  };
  return walk;
}

const frequencies = new Map();
const walk = makeWalker((name) => frequencies.set(name, (frequencies.get(name) || 0) + 1));
const ROUNDS = 10;
let step = 0, tokens = 0, comments = 0;
function parseNext() {
  const file = files[step % files.length];
  const ast = acorn.parse(file.text, {
    ecmaVersion: 2022, sourceType: 'script', locations: true,
    onToken: () => { tokens++; }, onComment: (block, text) => { comments += text.length; },
  });
  walk(ast);
  if (++step < files.length * ROUNDS) { setTimeout(parseNext, 0); return; }
  const top = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  console.log('acorn checksum', tokens, comments, frequencies.size, JSON.stringify(top));
}
setTimeout(parseNext, 0);
