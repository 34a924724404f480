// Feature: intervals that cancel themselves from inside their own callback
// (via a captured handle and via `this`), run one after another.
const results = [];
function startCounter(name, limit, period, next) {
  let count = 0;
  const handle = setInterval(() => {
    count++;
    results.push(`${name}${count}`);
    console.log(name, count, results.length);
    if (count === limit) {
      clearInterval(handle);
      console.log(name, 'cancelled itself');
      if (next) next();
    }
  }, period);
}
function startThisCancel() {
  let c = 0;
  setInterval(function () {
    c++;
    console.log('this-cancel', c);
    if (c === 3) {
      clearInterval(this); // `this` is the Timeout object in Node
      console.log(results.join(' '));
    }
  }, 5);
}
startCounter('A', 4, 3, () => startCounter('B', 3, 7, startThisCancel));
