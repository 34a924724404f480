// a CommonJS plugin with state of its own
let calls = 0;
module.exports = { name: 'upper', apply: (s) => { calls += 1; return s.toUpperCase() + '#' + calls; } };
