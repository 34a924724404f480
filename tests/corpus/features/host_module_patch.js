// Feature: a package that patches a host module and process in place, as graceful-fs does to
// fs (fs.close and fs.closeSync become wrappers that keep the originals under
// Symbol.for('graceful-fs.previous'), a queue hangs on the module under a registered symbol,
// process.cwd and process.chdir are replaced, and a clone of the patched module is exported).
// The originals keep their names while replaced, and the patches move with the program.
const path = require('path');
const previous = Symbol.for('things-test.previous');
const queueKey = Symbol.for('things-test.queue');
const calls = [];

const origBasename = path.basename;
function basename(p, ext) {
  calls.push('basename:' + p);
  return origBasename.call(path, p, ext).toUpperCase();
}
Object.defineProperty(basename, previous, { value: origBasename });
path.basename = basename;
const queue = [];
Object.defineProperty(path, queueKey, { get() { return queue; } });
path.extname = (function (orig) {
  const extname = function extname(p) { return '<' + orig(p) + '>'; };
  Object.setPrototypeOf(extname, orig); // graceful-fs: Object.setPrototypeOf(process.chdir, chdir)
  return extname;
})(path.extname);

let cwdCalls = 0;
const origCwd = process.cwd;
process.cwd = function () { cwdCalls++; return '/patched'; };

// a copy of the patched module, as graceful-fs exports `patch(clone(fs))`
const clone = Object.create(Object.getPrototypeOf(path));
for (const key of Object.getOwnPropertyNames(path)) Object.defineProperty(clone, key, Object.getOwnPropertyDescriptor(path, key));

let n = 0;
const iv = setInterval(() => {
  n++;
  queue.push(n);
  const file = '/srv/app/file' + n + '.txt';
  const ext = typeof path.extname === 'function' ? path.extname : null;
  console.log(n, path.basename(file), clone.basename(file, '.txt'), ext ? ext(file) : '-', clone.extname(file),
    require('path') === path, path.basename === basename, path.basename[previous] === origBasename,
    path.basename[previous]('/a/b.js'), Object.getPrototypeOf(clone.extname)('/x/y.md'),
    require('path')[queueKey].join(''), path.join('a', 'b'),
    process.cwd(), cwdCalls, typeof origCwd(), calls.length);
  if (n === 3) {
    delete path.extname; // and a member deleted from a host module stays deleted
    path.sep2 = '//';
  }
  if (n > 3) console.log('  ', typeof path.extname, path.sep2, 'extname' in clone);
  if (n === 6) clearInterval(iv);
}, 2);
