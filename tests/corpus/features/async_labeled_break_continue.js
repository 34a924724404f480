// Feature: labeled `break` and `continue` around awaits in nested loops of an
// async function; the loop counters and the label targets survive a move.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function search(grid, target) {
  const visited = [];
  outer: for (let r = 0; r < grid.length; r++) {
    inner: for (let c = 0; c < grid[r].length; c++) {
      await sleep(1);
      const v = grid[r][c];
      if (v < 0) continue outer;
      if (v === 0) continue inner;
      visited.push(v);
      if (v === target) break outer;
    }
    console.log('row done', r, visited.join(','));
  }
  return visited;
}
search([[1, 2, 0, 3], [4, -1, 5], [6, 0, 7, 8], [9, 10]], 7).then((v) => console.log('visited', v));
