// LATER: a promise chain whose links settle in different timer callbacks, so
// reactions are pending at every boundary; values flow through the chain.
function delayed(value, ms) {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
const trail = [];
delayed(1, 5)
  .then((v) => { trail.push(v); console.log('step', v); return delayed(v * 2, 5); })
  .then((v) => { trail.push(v); console.log('step', v); return delayed(v + 3, 5); })
  .then((v) => { trail.push(v); console.log('step', v); throw new Error(`fail at ${v}`); })
  .catch((e) => { console.log('caught', e.message); return delayed('recovered', 5); })
  .then((v) => { trail.push(v); console.log('step', v); return Promise.all([delayed('a', 5), delayed('b', 20)]); })
  .then((vs) => { console.log('all', vs); return Promise.race([delayed('fast', 5), delayed('slow', 40)]); })
  .then((v) => console.log('race', v, trail))
  .finally(() => console.log('finally'));
