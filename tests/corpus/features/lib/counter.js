// Helper module for require_helper.js: module-level state that must persist
// across migrations (the module is loaded once; its closure state moves).
let count = 0;
const history = [];

function next(label) {
  count += 1;
  history.push(`${label}#${count}`);
  return count;
}

function snapshot() {
  return { count, last: history.slice(-3) };
}

module.exports = { next, snapshot, history };
