// `new` of an expression the instrumenter wraps in a call: `new tag`x`` constructs what the
// tag returns (with or without an argument list after it, plain and member tags), `new class
// {...}(args)` and `new function () {...}(args)` construct the class or function written
// there; template objects keep their identity per site, instances their closures, across moves.
function Point(x) { this.x = x; this.made = ++Point.count; }
Point.count = 0;
const sites = [];
const tag = function (strings) { sites.push(strings); return Point; };
const lib = { tag };
let tick = 0;
const kept = [];
const timer = setInterval(() => {
  tick++;
  const a = new tag`plain`;
  const b = new tag`with args`(tick);
  const c = new lib.tag`member`;
  const d = new (lib.tag)`member parenthesized`(tick * 10);
  const e = new class extends Point { constructor(v) { super(v); this.twice = () => this.x * 2; } }(tick);
  const f = new function (v) { this.v = v; this.get = () => v + tick; }(tick);
  kept.push(e, f);
  console.log(kept.map((o) => (o.twice ? o.twice() : o.get())).join(','));
  console.log(tick, a instanceof Point, a.x, b.x, c instanceof Point, d.x, Point.count,
    sites.length, sites[0] === sites[sites.length - 4], sites.map((s) => s[0]).slice(-4).join('/'));
  if (tick === 3) clearInterval(timer);
}, 2);
