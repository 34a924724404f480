// a CommonJS module imported from ES modules (default = module.exports, named as Node detects)
let calls = 0;
exports.greet = (who) => `hello ${who} #${++calls}`;
exports.version = '1.2.3';
Object.defineProperty(exports, 'calls', { enumerable: true, get: () => calls });
