// Package: minimist. Parses a queue of command lines with a fixed options
// object, one per tick; merged settings accumulate.
const minimist = require('minimist');

const opts = { string: ['name'], boolean: ['verbose', 'dry'], alias: { v: 'verbose', n: 'name' }, default: { level: 1 }, '--': true };
const lines = ['-v --name=alpha build', '--level 3 -n beta --no-dry', 'deploy -xyz 5 -- --raw', '--tags a --tags b',
  '-n "quoted" --verbose=false', 'x y z --level=7', '--dry -v', '--num 0x10 --neg -3', '--a.b.c 1 --a.b.d 2', '-abc', '', '--name'];
const merged = {};
let i = 0;
const iv = setInterval(() => { for (let k = 0; k < 2; k++) {
  const argv = minimist(lines[i].split(' ').filter(Boolean), opts);
  Object.assign(merged, argv);
  console.log(i + 1, JSON.stringify(argv));
  i++;
  if (i === lines.length) { clearInterval(iv); console.log(Object.keys(merged).sort().join(',')); }
} }, 3);
