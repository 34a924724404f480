// needs: node (fs: a Node built-in module the embedded engines lack)
// Package: yargs-parser (ESM-only). Detailed parsing with configuration,
// coercion, arrays and counts; one argument vector per tick.
import yargsParser from 'yargs-parser';

const opts = {
  alias: { verbose: ['v'], output: ['o'] }, array: ['files'], count: ['verbose'], number: ['port'],
  boolean: ['dry-run'], coerce: { upper: (s) => String(s).toUpperCase() }, default: { port: 80 },
  configuration: { 'strip-aliased': true, 'camel-case-expansion': true },
};
const lines = ['-vvv --files a b c --port 8080', '--dry-run --output=x.txt pos1', '--no-dry-run --upper shout -- rest --raw',
  '--files=one --files two -o', '--port notanumber', '-v --foo-bar 3 --foo.baz 4', '--negative -5 --upper', 'plain words only',
  '-abc --port 1e3', '--files'];
const seen = [];
let i = 0;
const iv = setInterval(() => { for (let k = 0; k < 2; k++) {
  const r = yargsParser.detailed(lines[i], opts);
  seen.push(Object.keys(r.argv).length);
  console.log(i + 1, JSON.stringify(r.argv), r.error ? r.error.message : '-');
  i++;
  if (i === lines.length) { clearInterval(iv); console.log(seen.join(',')); }
} }, 3);
