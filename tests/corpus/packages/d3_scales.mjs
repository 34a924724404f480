// Package: d3-scale and d3-array (ESM-only). Scales (linear with clamp, band, quantize),
// a bin generator and a growing data series keep their configuration across moves.
import { scaleLinear, scaleBand, scaleQuantize } from 'd3-scale';
import { bin, mean, extent, group, rollup } from 'd3-array';

const x = scaleLinear().domain([0, 100]).range([0, 1000]).clamp(true);
const band = scaleBand().domain(['a', 'b', 'c']).range([0, 300]).padding(0.1);
const q = scaleQuantize().domain([0, 100]).range(['low', 'mid', 'high']);
const binner = bin().domain([0, 100]).thresholds(5);
const data = [];
let tick = 0;
const timer = setInterval(() => {
  tick++;
  data.push({ v: (tick * 37) % 100, k: 'abc'[tick % 3] });
  const vs = data.map((d) => d.v);
  x.domain([0, Math.max(50, ...vs)]);
  console.log(tick, x(vs[vs.length - 1]).toFixed(3), band(data[data.length - 1].k), q(vs[vs.length - 1]),
    mean(vs).toFixed(2), extent(vs).join('-'), binner(vs).map((b) => b.length).join(','),
    [...group(data, (d) => d.k).keys()].join(''), JSON.stringify([...rollup(data, (g) => g.length, (d) => d.k)]));
  if (tick === 6) clearInterval(timer);
}, 2);
