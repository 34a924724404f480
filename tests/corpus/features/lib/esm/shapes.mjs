export const square = (x) => x * x;
export function cube(x) { return x * x * x; }
export default class { constructor(s) { this.s = s; } area() { return this.s * this.s; } }
