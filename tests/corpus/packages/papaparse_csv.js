// Package: papaparse. CSV chunks parsed with header, dynamic typing and a
// transform; unparse of the accumulated rows at the end.
const Papa = require('papaparse');

const rows = [];
const cfg = { header: true, dynamicTyping: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() };
let n = 0;
function tick() {
  n++;
  const csv = `Name, Qty ,Price,Note\n"Widget, ${n}",${n},${(n * 1.25).toFixed(2)},"said ""hi"""\nGadget${n},${n * 2},${n % 3 ? 'x' : ''},\n\n`;
  const res = Papa.parse(csv, cfg);
  rows.push(...res.data);
  console.log(n, res.meta.fields.join('|'), JSON.stringify(res.data), res.errors.length);
  if (n < 7) setTimeout(tick, 2);
  else console.log(Papa.unparse(rows.slice(-4), { quotes: [true, false, false, false] }));
}
setTimeout(tick, 2);
