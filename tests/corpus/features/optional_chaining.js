// Feature: optional chaining (?. on props, calls, indexes), nullish
// coalescing (??) and logical assignment (??=, ||=, &&=) over changing state.
const state = { user: null, settings: { theme: undefined }, handlers: {} };
let n = 0;
function tick() {
  n++;
  if (n === 3) state.user = { name: 'ann', profile: { langs: ['js', 'py'] } };
  if (n === 5) state.handlers.greet = (x) => `hello ${x}`;
  if (n === 7) state.user.profile = null;
  state.settings.theme ??= 'dark';
  state.settings.count ||= 0;
  state.settings.count += 1;
  state.settings.flag &&= false;
  if (n === 4) state.settings.flag = 'set';
  console.log(n, state.user?.name ?? '(anon)', state.user?.profile?.langs?.[1], state.handlers.greet?.(n), state.missing?.deep.deeper);
  console.log('  ', state.settings, state.user?.profile?.langs.length ?? 0, 0 ?? 'not this', '' || 'this');
  if (n < 9) setTimeout(tick, 2);
}
setTimeout(tick, 2);
