// Feature: require.extensions (Node's Module._extensions): one null-prototype object shared
// by every module's require, which a package extends with a loader of its own; the loader
// added (and a key deleted) must survive every move, and Node's own entries stay functions.
const hook = require('./lib/extensions_hook');
const ext = require.extensions;
const fake = { exports: null };
let n = 0;
const iv = setInterval(() => {
  n++;
  if (n === 2) ext['.coffee'] = function coffee() { return 'never'; };
  if (n === 4) delete ext['.coffee'];
  if (n === 5) ext['.yml'] = hook.tplLoader;
  const loader = ext['.tpl'];
  loader(fake, 'page' + n + '.tpl');
  console.log(n, Object.keys(ext).join(','), ext === hook.extensions, require.extensions === ext,
    Object.getPrototypeOf(ext) === null, loader === hook.tplLoader, ext['.yml'] === ext['.tpl'],
    typeof ext['.js'], typeof ext['.json'], ext['.js'].length, hook.compiled.length, fake.exports({ n }));
  if (n === 6) clearInterval(iv);
}, 2);
