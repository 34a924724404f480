// Package: diff (jsdiff). Line and word diffs between successive versions of
// a text; a structured patch is applied back each tick.
const Diff = require('diff');

let text = 'alpha\nbeta\ngamma\ndelta\n';
const versions = [text];
let n = 0;
function tick() {
  n++;
  const lines = text.split('\n');
  lines.splice(n % (lines.length - 1), n % 2, `line ${n}`);
  const next = lines.join('\n');
  const patch = Diff.createPatch('doc.txt', text, next, 'v' + (n - 1), 'v' + n);
  const applied = Diff.applyPatch(text, patch);
  const words = Diff.diffWords(text.replace(/\n/g, ' '), next.replace(/\n/g, ' ')).filter((p) => p.added || p.removed).map((p) => (p.added ? '+' : '-') + p.value.trim());
  console.log(n, applied === next, words.join(' '), Diff.diffLines(versions[0], next).length);
  text = next;
  versions.push(text);
  if (n < 7) setTimeout(tick, 2);
  else console.log(Diff.structuredPatch('a', 'b', versions[0], text).hunks.length, JSON.stringify(text));
}
setTimeout(tick, 2);
