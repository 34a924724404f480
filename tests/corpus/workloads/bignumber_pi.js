// Workload: digits of pi with bignumber.js (Machin's formula), a few series
// terms per tick; uses a configured clone of the BigNumber constructor (its
// configuration is module/closure state that must migrate).
const BigNumber = require('bignumber.js');
const BN = BigNumber.clone({ DECIMAL_PLACES: 80, ROUNDING_MODE: BigNumber.ROUND_DOWN });

// pi = 16 atan(1/5) - 4 atan(1/239), atan(x) = sum (-1)^k x^(2k+1) / (2k+1)
const state = {
  k: 0,
  sum5: new BN(0),
  sum239: new BN(0),
  pow5: new BN(1).div(5),
  pow239: new BN(1).div(239),
};
const x5sq = new BN(1).div(25);
const x239sq = new BN(1).div(239 * 239);

let tickNo = 0;
function tick() {
  tickNo++;
  for (let j = 0; j < 6; j++) {
    const denom = 2 * state.k + 1;
    const sign = state.k % 2 ? -1 : 1;
    state.sum5 = state.sum5.plus(state.pow5.div(denom).times(sign));
    state.sum239 = state.sum239.plus(state.pow239.div(denom).times(sign));
    state.pow5 = state.pow5.times(x5sq);
    state.pow239 = state.pow239.times(x239sq);
    state.k++;
  }
  const pi = state.sum5.times(16).minus(state.sum239.times(4));
  console.log(tickNo, 'terms', state.k, pi.toFixed(60));
  if (tickNo < 10) setTimeout(tick, 2);
  else console.log(pi.toFixed(70).slice(0, 72), BN.config().DECIMAL_PLACES, BigNumber.config().DECIMAL_PLACES, pi instanceof BN);
}
setTimeout(tick, 2);
