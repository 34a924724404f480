// Package: less (CSS preprocessor), through its ES module entry, whose file manager loads
// graceful-fs: that patches Node's fs module (fs.close/closeSync wrappers keeping the
// originals under a registered symbol, a queue on fs) and process.cwd/chdir. A less
// instance with a plugin and global variables compiles a growing stylesheet per tick.
import less from 'less';
const plugin = { install(lessInstance, pluginManager, functions) { functions.add('double', (n) => new lessInstance.tree.Dimension(n.value * 2, n.unit)); } };
let sheet = '@base: 4px;\n.mixin(@c) { color: @c; border: 1px solid darken(@c, 10%); }\n';
let n = 0;
async function tick() {
  n++;
  sheet += `.box${n} { .mixin(#${(n * 37).toString(16).padStart(2, '0')}6699); width: double(@base) * ${n}; ` +
    `.inner { height: (@base + ${n}); &:hover { margin: @gap; } } }\n`;
  const out = await less.render(sheet, { plugins: [plugin], globalVars: { gap: n + 'em' }, compress: n % 2 === 0 });
  console.log(n, out.css.length, JSON.stringify(out.css.slice(-90)), out.imports.length);
  if (n < 6) setTimeout(tick, 3);
  else console.log(out.css);
}
setTimeout(tick, 3);
