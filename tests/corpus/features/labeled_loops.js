// Feature: labeled loops with labeled break/continue inside callbacks, over
// state carried between callbacks (a grid search that resumes where it left).
const grid = [
  [3, 8, 1, 9],
  [4, 4, 7, 2],
  [6, 0, 5, 8],
  [1, 9, 2, 6],
];
let resumeRow = 0;
const found = [];
let n = 0;
function tick() {
  n++;
  const target = n % 10;
  let hit = null;
  outer: for (let r = resumeRow; r < grid.length; r++) {
    inner: for (let c = 0; c < grid[r].length; c++) {
      if (grid[r][c] === 0) continue outer;
      if (grid[r][c] > 7) continue inner;
      if (grid[r][c] === target) {
        hit = [r, c];
        break outer;
      }
    }
  }
  block: {
    if (!hit) break block;
    found.push(hit.join(':'));
    grid[hit[0]][hit[1]] = -1;
  }
  resumeRow = (resumeRow + 1) % grid.length;
  console.log(n, target, hit, resumeRow, found.join(' '));
  if (n < 12) setTimeout(tick, 2);
  else console.log(grid);
}
setTimeout(tick, 2);
