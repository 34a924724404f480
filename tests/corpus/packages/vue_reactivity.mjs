// Package: @vue/reactivity (ESM; reactive objects are proxies over the program's objects,
// kept in WeakMaps target -> proxy). Reactive state, refs, computed values and an effect
// keep tracking across moves: a change after a move re-runs the effect and the computed.
import { reactive, computed, effect, ref, shallowReactive, toRaw, isReactive } from '@vue/reactivity';

const state = reactive({ items: [], meta: { count: 0 } });
const factor = ref(1);
const total = computed(() => state.items.reduce((a, b) => a + b, 0) * factor.value);
const shallow = shallowReactive({ nested: { n: 0 } });
const runs = [];
effect(() => { runs.push(`${state.meta.count}:${total.value}`); });

let tick = 0;
const timer = setInterval(() => {
  tick++;
  state.items.push(tick);
  state.meta.count++;
  if (tick % 2 === 0) factor.value++;
  shallow.nested.n = tick; // not tracked deeply
  console.log(tick, total.value, runs.slice(-2).join(' '), runs.length, isReactive(state.meta),
    toRaw(state) !== state, reactive(toRaw(state)) === state, shallow.nested.n);
  if (tick === 6) clearInterval(timer);
}, 2);
