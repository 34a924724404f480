// Feature: closures of one scope that declare (parameter, var, inner function,
// own name) a name of a variable that their siblings capture, as minified code
// does all the time (dayjs's plugins: `function (r, e, t) { r = r || {}; ...
// n.from = function (r, e) { ... } }`). What a closure reports about its
// environment must be the outer variables, never its own of the same name.
const plugin = (function () {
  'use strict';
  return function (r, e, t) {
    r = r || { limit: 3 };
    var n = e.prototype;
    var o = { one: 'a %s', many: '%d %ss' };
    function i(r, e, t, o) { return n.base(r, e, t, o); }
    n.base = function (e, n, i, d) { return (e > r.limit ? o.many : o.one).replace('%d', e).replace('%s', n) + (d ? t : ''); };
    n.from = function (r, e) { return i(r, e, this); };
    n.to = function (r, e) { return i(r, e, this, true); };
  };
})();
function Thing(name) { this.name = name; }
plugin(undefined, Thing, '!');

function counter(start) {
  let count = start;
  var step = 1;
  const api = {
    inc: function (step) { count += step || 1; return count; },
    read() { return count + ':' + step; },
    twice: function twice(count) { var step = 2; return count * step; },
    bump: function step() { count += 10; return typeof step; },
  };
  step = 5;
  return api;
}
const c = counter(100);
const label = function (n) { var r = n; function o() { return 'inner'; } return r + o(); };

let tick = 0;
const iv = setInterval(() => {
  tick++;
  const th = new Thing('t' + tick);
  console.log(tick, th.from(tick, 'day'), th.to(tick + 2, 'hour'), c.inc(tick), c.read(), c.twice(tick), label(tick));
  if (tick % 3 === 0) console.log('  bump', c.bump(), c.read());
  if (tick === 8) clearInterval(iv);
}, 3);
