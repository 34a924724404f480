// Feature: console state that the runtime must carry: console.group
// indentation, console.count counters, format specifiers (%s %d %i %f %j %o
// %O %%), console.info/console.debug (stdout), console.table.
let n = 0;
console.group('outer group');
function tick() {
  n++;
  console.count('ticks');
  console.count(n % 2 ? 'odd' : 'even');
  console.log('format %s %d %i %f %j %% %o', 'str' + n, n * 1.5, n * 1.5, n / 4, { n }, [n]);
  console.info('info line', n);
  console.debug('debug line %O', { deep: { n } });
  if (n === 3) console.group('inner');
  if (n === 6) console.groupEnd();
  if (n === 7) console.countReset('ticks');
  if (n === 8) console.table([{ a: 1, b: 'x' }, { a: n, b: 'y' }]);
  if (n < 10) setTimeout(tick, 2);
  else {
    console.groupEnd();
    console.log('back at top level');
  }
}
setTimeout(tick, 2);
