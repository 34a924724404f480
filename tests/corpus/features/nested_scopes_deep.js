// Feature: nested function scopes many levels deep, each level with its own
// variables, the innermost closure mutating variables at every level.
function level1() {
  let a = 1;
  return function level2() {
    let b = 10;
    return function level3() {
      let c = 100;
      return function level4() {
        let d = 1000;
        return function level5() {
          let e = 10000;
          return function level6() {
            a += 1; b += 2; c += 3; d += 4; e += 5;
            return [a, b, c, d, e];
          };
        };
      };
    };
  };
}

const deep = level1()()()()();
const deep2 = level1()()()()();
let k = 0;
function tickFn() {
  k++;
  console.log(k, deep(), k % 3 === 0 ? deep2() : '-');
  if (k < 10) setImmediate(tickFn);
}
setImmediate(tickFn);
