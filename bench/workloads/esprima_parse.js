'use strict';
// esprima: parse lodash.js (540 KB) with locations and tokens, then walk the tree with a
// visitor object counting node types. One parse per setTimeout callback.
const fs = require('fs');
const path = require('path');
const esprima = require('../../tests/node_modules/esprima');

const source = fs.readFileSync(path.join(__dirname, '../../tests/node_modules/lodash/lodash.js'), 'utf8');

class Counter {
  constructor() { this.counts = new Map(); this.maxDepth = 0; }
  visit(node, depth) {
    this.counts.set(node.type, (this.counts.get(node.type) || 0) + 1);
    if (depth > this.maxDepth) this.maxDepth = depth;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (Array.isArray(child)) { for (const c of child) if (c && typeof c.type === 'string') this.visit(c, depth + 1); }
      else if (child && typeof child.type === 'string' && key !== 'loc') this.visit(child, depth + 1);
    }
  }
}

const PARSES = 28;
let done = 0, checksum = 0;
function parseOnce() {
  const ast = esprima.parseScript(source, { range: true, loc: done % 2 === 0, tokens: done % 2 === 1 });
  const counter = new Counter();
  counter.visit(ast, 0);
  const summary = [...counter.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}:${v}`).join(',');
  for (let i = 0; i < summary.length; i++) checksum = (Math.imul(checksum, 31) + summary.charCodeAt(i)) >>> 0;
  if (++done < PARSES) setTimeout(parseOnce, 0);
  else console.log('esprima checksum', checksum, counter.counts.get('Identifier'), counter.maxDepth);
}
setTimeout(parseOnce, 0);
