'use strict';
// Node's util.types in pure JavaScript, for engines without Node (QuickJS). The snapshot
// code asks these brand questions of every object it meets, so each check first reads the
// engine's builtin tag (Object.prototype.toString, cheap, no exception) and only confirms
// it with a real brand check (an engine getter or method that throws on other objects) when
// the tag says so: a program's Symbol.toStringTag can fake the tag, never the brand.
//
// Proxies cannot be recognised from JavaScript at all: the QuickJS host replaces the global
// Proxy with a constructor that records every proxy it makes (installProxyTracking), before
// the program runs.

const objToString = Object.prototype.toString;
const getProto = Object.getPrototypeOf;

function getter(proto, key) {
  const d = proto && Object.getOwnPropertyDescriptor(proto, key);
  return d && typeof d.get === 'function' ? d.get : null;
}

const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const abByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const sabByteLength = typeof SharedArrayBuffer === 'function' ? getter(SharedArrayBuffer.prototype, 'byteLength') : null;
const dvByteLength = getter(DataView.prototype, 'byteLength');
const TypedArrayProto = getProto(Int8Array.prototype);
const taTag = getter(TypedArrayProto, Symbol.toStringTag);
const reGlobal = getter(RegExp.prototype, 'global');
const dateGetTime = Date.prototype.getTime;
const weakMapHas = WeakMap.prototype.has;
const weakSetHas = WeakSet.prototype.has;
const isErrorNative = typeof Error.isError === 'function' ? Error.isError : null;

const GeneratorProto = getProto(function* () {}).prototype;
const AsyncGeneratorProto = getProto(async function* () {}).prototype;
const GeneratorFunctionProto = getProto(function* () {});
const AsyncFunctionProto = getProto(async function () {});
const AsyncGeneratorFunctionProto = getProto(async function* () {});
const MapIteratorProto = getProto(new Map()[Symbol.iterator]());
const SetIteratorProto = getProto(new Set()[Symbol.iterator]());

/** The engine's builtin tag of o, `[object X]` -> X (a program's toStringTag can change it). */
function tag(o) {
  const s = objToString.call(o);
  return s.slice(8, -1);
}

function throws(fn, o, arg) {
  try { fn.call(o, arg); return false; } catch (e) { return true; }
}

function isObject(o) { return o !== null && (typeof o === 'object' || typeof o === 'function'); }

function isDate(o) { return isObject(o) && tag(o) === 'Date' && !throws(dateGetTime, o); }
function isMap(o) { return isObject(o) && tag(o) === 'Map' && !throws(mapSize, o); }
function isSet(o) { return isObject(o) && tag(o) === 'Set' && !throws(setSize, o); }
function isWeakMap(o) { return isObject(o) && tag(o) === 'WeakMap' && !throws(weakMapHas, o, {}); }
function isWeakSet(o) { return isObject(o) && tag(o) === 'WeakSet' && !throws(weakSetHas, o, {}); }
function isRegExp(o) { return isObject(o) && tag(o) === 'RegExp' && !throws(reGlobal, o); }
function isArrayBuffer(o) { return isObject(o) && tag(o) === 'ArrayBuffer' && !throws(abByteLength, o); }
function isSharedArrayBuffer(o) {
  return sabByteLength !== null && isObject(o) && tag(o) === 'SharedArrayBuffer' && !throws(sabByteLength, o);
}
function isAnyArrayBuffer(o) { return isArrayBuffer(o) || isSharedArrayBuffer(o); }
function isTypedArray(o) { return isObject(o) && taTag.call(o) !== undefined; }
function typedArrayKind(name) {
  return (o) => isObject(o) && taTag.call(o) === name;
}
function isDataView(o) { return isObject(o) && tag(o) === 'DataView' && !throws(dvByteLength, o); }
function isArrayBufferView(o) { return isTypedArray(o) || isDataView(o); }
function isNativeError(o) {
  if (!isObject(o)) return false;
  if (isErrorNative !== null) return isErrorNative(o);
  return tag(o) === 'Error';
}
function isArgumentsObject(o) { return isObject(o) && tag(o) === 'Arguments' && !Array.isArray(o); }

function boxCheck(name, valueOf) {
  return (o) => isObject(o) && tag(o) === name && !throws(valueOf, o);
}
const isNumberObject = boxCheck('Number', Number.prototype.valueOf);
const isStringObject = boxCheck('String', String.prototype.valueOf);
const isBooleanObject = boxCheck('Boolean', Boolean.prototype.valueOf);
const isBigIntObject = boxCheck('BigInt', BigInt.prototype.valueOf);
const isSymbolObject = boxCheck('Symbol', Symbol.prototype.valueOf);
function isBoxedPrimitive(o) {
  return isNumberObject(o) || isStringObject(o) || isBooleanObject(o) || isBigIntObject(o) || isSymbolObject(o);
}

function protoChainHas(o, proto) {
  for (let p = getProto(o); p !== null; p = getProto(p)) if (p === proto) return true;
  return false;
}
// No side-effect-free brand check exists for these in JavaScript: the tag and the chain.
function isPromise(o) { return isObject(o) && tag(o) === 'Promise' && protoChainHas(o, Promise.prototype); }
// A generator object's prototype is its function's .prototype, whose prototype is
// %GeneratorPrototype%; that .prototype object itself (one level less) is no generator.
function isGeneratorObject(o) {
  if (!isObject(o)) return false;
  const p = getProto(o);
  if (p === null || p === GeneratorProto || p === AsyncGeneratorProto) return false;
  return (protoChainHas(p, GeneratorProto) || protoChainHas(p, AsyncGeneratorProto)) &&
    (tag(o) === 'Generator' || tag(o) === 'AsyncGenerator');
}
function isMapIterator(o) { return isObject(o) && protoChainHas(o, MapIteratorProto); }
function isSetIterator(o) { return isObject(o) && protoChainHas(o, SetIteratorProto); }
function isGeneratorFunction(f) {
  return typeof f === 'function' && (getProto(f) === GeneratorFunctionProto || getProto(f) === AsyncGeneratorFunctionProto);
}
function isAsyncFunction(f) {
  return typeof f === 'function' && (getProto(f) === AsyncFunctionProto || getProto(f) === AsyncGeneratorFunctionProto);
}

// Proxies made since installProxyTracking (proxies.js, shared with the snapshot code).
const proxies = require('./proxies.js');
function isProxy(o) { return isObject(o) && proxies.isTracked(o); }
function proxyDetails(o) {
  const d = proxies.details(o);
  return d === undefined ? undefined : [d.target, d.handler];
}

/** Replace the global Proxy by one that remembers what it makes. Must run before any program code. */
function installProxyTracking() { proxies.install(); }

function promiseDetails() { return [0 /* kPending: the state is not visible from JavaScript */]; }
function previewEntries() { return []; }

function no() { return false; }

module.exports = {
  isDate, isMap, isSet, isWeakMap, isWeakSet, isRegExp, isArrayBuffer, isSharedArrayBuffer, isAnyArrayBuffer,
  isTypedArray, isDataView, isArrayBufferView, isNativeError, isArgumentsObject, isNumberObject, isStringObject,
  isBooleanObject, isBigIntObject, isSymbolObject, isBoxedPrimitive, isPromise, isGeneratorObject, isMapIterator,
  isSetIterator, isGeneratorFunction, isAsyncFunction, isProxy,
  isUint8Array: typedArrayKind('Uint8Array'), isUint8ClampedArray: typedArrayKind('Uint8ClampedArray'),
  isUint16Array: typedArrayKind('Uint16Array'), isUint32Array: typedArrayKind('Uint32Array'),
  isInt8Array: typedArrayKind('Int8Array'), isInt16Array: typedArrayKind('Int16Array'),
  isInt32Array: typedArrayKind('Int32Array'), isFloat32Array: typedArrayKind('Float32Array'),
  isFloat64Array: typedArrayKind('Float64Array'), isBigInt64Array: typedArrayKind('BigInt64Array'),
  isBigUint64Array: typedArrayKind('BigUint64Array'),
  isModuleNamespaceObject: no, isExternal: no, isKeyObject: no, isCryptoKey: no, isWeakRef: no,
  installProxyTracking, proxyDetails, promiseDetails, previewEntries,
};
