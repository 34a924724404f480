// Helper module: its exports object is mutated by the requiring program and
// by itself; both sides must keep seeing the same object after a move.
exports.version = 1;
exports.flags = { verbose: false };
exports.bump = function bump() {
  exports.version += 1;
  return exports.version;
};
