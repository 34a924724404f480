// Feature: matrix math: a Matrix class over a Float64Array, multiplication,
// transpose, determinant, powers of a matrix accumulated across callbacks.
class Matrix {
  constructor(rows, cols, values) {
    this.rows = rows;
    this.cols = cols;
    this.data = new Float64Array(values || rows * cols);
  }
  get(r, c) {
    return this.data[r * this.cols + c];
  }
  mul(o) {
    const out = new Matrix(this.rows, o.cols);
    for (let r = 0; r < this.rows; r++)
      for (let c = 0; c < o.cols; c++) {
        let s = 0;
        for (let k = 0; k < this.cols; k++) s += this.get(r, k) * o.get(k, c);
        out.data[r * o.cols + c] = s;
      }
    return out;
  }
  transpose() {
    const out = new Matrix(this.cols, this.rows);
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) out.data[c * this.rows + r] = this.get(r, c);
    return out;
  }
  det() {
    if (this.rows === 1) return this.data[0];
    let d = 0;
    for (let c = 0; c < this.cols; c++) {
      const minor = [];
      for (let r = 1; r < this.rows; r++) for (let k = 0; k < this.cols; k++) if (k !== c) minor.push(this.get(r, k));
      d += (c % 2 ? -1 : 1) * this.get(0, c) * new Matrix(this.rows - 1, this.cols - 1, minor).det();
    }
    return d;
  }
  toString() {
    const lines = [];
    for (let r = 0; r < this.rows; r++) lines.push(Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols), (v) => v.toFixed(1).padStart(8)).join(''));
    return lines.join('\n');
  }
}
const fibM = new Matrix(2, 2, [1, 1, 1, 0]);
let power = new Matrix(2, 2, [1, 0, 0, 1]);
const rot = new Matrix(3, 3, [2, -1, 0, 1, 3, 2, 0, 1, 4]);
let acc = rot;
let n = 0;
function tick() {
  n++;
  power = power.mul(fibM);
  acc = acc.mul(rot.transpose()).mul(new Matrix(3, 3, [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]));
  console.log(n, 'fib', power.get(0, 1), 'det', acc.det().toFixed(3), 'trace', (acc.get(0, 0) + acc.get(1, 1) + acc.get(2, 2)).toFixed(3));
  if (n % 3 === 0) console.log(acc.toString());
  if (n < 10) setTimeout(tick, 2);
  else console.log(power, rot.det());
}
setTimeout(tick, 2);
