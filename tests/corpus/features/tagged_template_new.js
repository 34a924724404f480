// `new tag`x``: the tagged template's result is what `new` constructs (with or without an
// argument list after it), for plain and member tags; template objects keep their identity
// per site across moves.
function Point(x) { this.x = x; this.made = ++Point.count; }
Point.count = 0;
const sites = [];
const tag = function (strings) { sites.push(strings); return Point; };
const lib = { tag };
let tick = 0;
const timer = setInterval(() => {
  tick++;
  const a = new tag`plain`;
  const b = new tag`with args`(tick);
  const c = new lib.tag`member`;
  const d = new (lib.tag)`member parenthesized`(tick * 10);
  console.log(tick, a instanceof Point, a.x, b.x, c instanceof Point, d.x, Point.count,
    sites.length, sites[0] === sites[sites.length - 4], sites.map((s) => s[0]).slice(-4).join('/'));
  if (tick === 3) clearInterval(timer);
}, 2);
