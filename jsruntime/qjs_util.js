'use strict';
// require('util') for engines without Node (QuickJS): the pure-JavaScript part of Node's util
// (inspect and format are Node's own code, see qjs_inspect.js).

const { inspect, format, formatWithOptions, stripVTControlCharacters } = require('./qjs_inspect.js');
const types = require('./qjs_types.js');

const publicTypes = {};
for (const key of Object.keys(types)) {
  if (key.startsWith('is')) publicTypes[key] = types[key];
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw typeError('ctor', 'function', ctor);
  if (superCtor === undefined || superCtor === null) throw typeError('superCtor', 'function', superCtor);
  if (superCtor.prototype === undefined) throw typeError('superCtor.prototype', 'object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function typeError(name, type, value) {
  const err = new TypeError('The "' + name + '" argument must be of type ' + type + '. Received ' + String(value));
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

const customPromisify = Symbol.for('nodejs.util.promisify.custom');

function promisify(original) {
  if (typeof original !== 'function') throw typeError('original', 'function', original);
  if (original[customPromisify]) return original[customPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      }]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, customPromisify, { value: fn, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = customPromisify;

function deprecate(fn, msg) {
  let warned = false;
  return function deprecated(...args) {
    if (!warned) {
      warned = true;
      globalThis.process.emitWarning(msg, 'DeprecationWarning');
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  };
}

// Node's deprecated util.isX: programs (lodash) still take them, and a snapshot names them so.
const legacy = {
  isBoolean(arg) { return typeof arg === 'boolean'; },
  isBuffer() { return false; },
  isNull(arg) { return arg === null; },
  isNullOrUndefined(arg) { return arg === null || arg === undefined; },
  isNumber(arg) { return typeof arg === 'number'; },
  isString(arg) { return typeof arg === 'string'; },
  isSymbol(arg) { return typeof arg === 'symbol'; },
  isUndefined(arg) { return arg === undefined; },
  isRegExp: types.isRegExp,
  isObject(arg) { return arg !== null && typeof arg === 'object'; },
  isDate: types.isDate,
  isError(e) { return types.isNativeError(e) || e instanceof Error; },
  isFunction(arg) { return typeof arg === 'function'; },
  isPrimitive(arg) { return arg === null || (typeof arg !== 'object' && typeof arg !== 'function'); },
};

// debuglog as Node's: enabled when NODE_DEBUG names the section (comma-separated, `*` globs).
function debuglog(set, cb) {
  const env = (globalThis.process && globalThis.process.env && globalThis.process.env.NODE_DEBUG) || '';
  const re = new RegExp('^(' + env.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*').replace(/,/g, '$|^') + ')$', 'i');
  const enabled = env !== '' && re.test(set);
  const upper = String(set).toUpperCase();
  function logger(...args) {
    if (!enabled) return;
    const pid = globalThis.process ? globalThis.process.pid : 0;
    globalThis.process.stderr.write(upper + ' ' + pid + ': ' + format(...args) + '\n');
  }
  Object.defineProperty(logger, 'enabled', { get() { return enabled; }, configurable: true, enumerable: true });
  if (typeof cb === 'function') cb(logger);
  return logger;
}

function callbackify(original) {
  if (typeof original !== 'function') throw typeError('original', 'function', original);
  function callbackified(...args) {
    const cb = args.pop();
    if (typeof cb !== 'function') throw typeError('last argument', 'function', cb);
    Reflect.apply(original, this, args).then((v) => globalThis.process.nextTick(cb.bind(this), null, v),
      (e) => globalThis.process.nextTick(cb.bind(this), e || Object.assign(new Error('Promise was rejected with a falsy value'), { code: 'ERR_FALSY_VALUE_REJECTION', reason: e })));
  }
  return callbackified;
}

module.exports = {
  ...legacy,
  debuglog,
  debug: debuglog,
  callbackify,
  inspect,
  format,
  formatWithOptions,
  stripVTControlCharacters,
  inherits,
  promisify,
  deprecate,
  types: publicTypes,
  isArray: Array.isArray,
  // node's util.TextEncoder / TextDecoder are the global ones (the host defines them first)
  TextEncoder: globalThis.TextEncoder,
  TextDecoder: globalThis.TextDecoder,
};
