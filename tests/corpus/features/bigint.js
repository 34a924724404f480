// Feature: BigInt state: factorials, Fibonacci and powers that exceed 2^53,
// BigInt in arrays/objects/Maps, mixed comparisons, asIntN/asUintN.
let fact = 1n;
let fibA = 0n;
let fibB = 1n;
const powers = [];
const byIndex = new Map();
const big = { value: 2n ** 64n - 1n };

let n = 0;
function tick() {
  n++;
  for (let i = 0; i < 3; i++) {
    fact *= BigInt(3 * (n - 1) + i + 1);
    [fibA, fibB] = [fibB, fibA + fibB];
  }
  powers.push(7n ** BigInt(n * 5));
  byIndex.set(BigInt(n), fact % 1000003n);
  big.value = BigInt.asUintN(64, big.value * 3n + 1n);
  console.log(n, String(fact), fibB, powers[n - 1], big.value, BigInt.asIntN(8, BigInt(n * 50)));
  console.log('  ', fact > Number.MAX_SAFE_INTEGER, 10n == 10, typeof fibA, (-fact) / 7n, -(2n ** 70n) % 9n);
  if (n < 10) setTimeout(tick, 2);
  else console.log(byIndex, big, powers.slice(0, 3));
}
setTimeout(tick, 2);
