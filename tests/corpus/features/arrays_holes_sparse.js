// Feature: arrays with holes, sparse arrays, explicit undefined vs hole, length.
const holes = [1, , 3, , , 6];
const sparse = [];
sparse[10] = 'ten';
sparse[3] = 'three';
const longer = [1, 2];
longer.length = 6;
const undef = [undefined, undefined];
const big = [];
big[1000] = 'far';

let i = 0;
function tick() {
  i++;
  console.log(i, holes, holes.length, 1 in holes, 2 in holes);
  console.log('  sparse', sparse, Object.keys(sparse));
  console.log('  longer', longer, 'undef', undef, 0 in undef, 'big', big.length, Object.keys(big));
  holes[holes.length + 1] = i;
  sparse.push(i);
  if (i === 3) delete sparse[3];
  if (i === 5) longer.length = 1;
  longer[i + 2] = i;
  if (i < 8) setTimeout(tick, 2);
  else console.log(holes.filter(() => true), sparse.reduce((s, v) => s + String(v), ''));
}
setTimeout(tick, 2);
