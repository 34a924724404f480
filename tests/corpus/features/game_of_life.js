// Feature: Conway's Game of Life on a small toroidal grid (a glider and a
// blinker), one generation per interval tick, the grid printed each tick.
const W = 10;
const H = 8;
let grid = Array.from({ length: H }, () => new Array(W).fill(0));
for (const [r, c] of [[0, 1], [1, 2], [2, 0], [2, 1], [2, 2], [5, 6], [5, 7], [5, 8]]) grid[r][c] = 1;
const neighbors = (g, r, c) => {
  let s = 0;
  for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (dr || dc) s += g[(r + dr + H) % H][(c + dc + W) % W];
  return s;
};
const render = (g) => g.map((row) => row.map((v) => (v ? '#' : '.')).join('')).join('\n');
let generation = 0;
const population = [];
const iv = setInterval(() => {
  generation++;
  grid = grid.map((row, r) => row.map((v, c) => {
    const k = neighbors(grid, r, c);
    return k === 3 || (v && k === 2) ? 1 : 0;
  }));
  population.push(grid.flat().reduce((a, b) => a + b, 0));
  console.log(`generation ${generation} population ${population[population.length - 1]}`);
  console.log(render(grid));
  if (generation === 16) {
    clearInterval(iv);
    console.log(population.join(','));
  }
}, 3);
