// `#name in <operand that awaits or yields>`: the private name stays the `in`'s left
// operand (it is no value to keep in a temporary while the function is suspended), and
// the brand check runs after the move.
class Token {
  #secret = 1;
  static async isToken(value) { return #secret in await value; }
  static *checker() {
    let n = 0;
    for (;;) n += (#secret in (yield n)) ? 1 : 0;
  }
}
const check = Token.checker();
check.next();
let tick = 0;
const timer = setInterval(async () => {
  tick++;
  const candidate = tick % 2 ? new Token() : { secret: 1 };
  const later = new Promise((r) => setTimeout(() => r(candidate), 2));
  console.log(tick, await Token.isToken(later), check.next(candidate).value);
  if (tick === 4) clearInterval(timer);
}, 5);
