// import() of a path computed at run time (a plugin loader): the files a literal prefix
// begins ('./lib/plugins/' + name, `./lib/plugins/${name}`) are bundled, so each loads, keeps
// its state across moves and is the same module however its path is spelled
const names = ['upper.js', 'reverse.mjs', 'upper.js', 'reverse.mjs'];
const dir = './lib/plugins/';
const out = [];
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
for (let i = 0; i < 6; i++) {
  await tick();
  const name = names[i % names.length];
  const plugin = i % 2 ? await import(`./lib/plugins/${name}`) : await import(dir + name);
  const again = await import('./lib/plugins/../plugins/' + name);
  const p = plugin.default && plugin.default.apply ? plugin.default : plugin;
  out.push(`${p.name}:${p.apply('move' + i)}:${plugin === again}`);
}
const table = await import('./lib/plugins/' + 'table.json', { with: { type: 'json' } });
const rev = await import(`./lib/plugins/${'reverse'}.mjs`);
out.push(table.default.rows.join('+'), rev.calls);
try { await import(dir + 'missing.js'); } catch (e) { out.push(e.code); }
console.log(out.join('\n'));
