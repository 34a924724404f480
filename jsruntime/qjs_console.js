'use strict';
// The global console for engines without Node (QuickJS), with Node's formatting: the text of
// every method is what Node's lib/internal/console/constructor.js and lib/internal/cli_table.js
// (MIT License, Copyright Node.js contributors) write for it, through Node's own
// formatWithOptions (qjs_inspect.js). Group indentation and counters are plain state that
// the host hands to snapshots, as Node's console keeps them.

const { inspect, formatWithOptions, getStringWidth } = require('./qjs_inspect.js');
const types = require('./qjs_types.js');

const NO_COLOR = {};
const INDENT_WIDTH = 2;

/** `write(fd, text)` writes to the process's stdout (1) or stderr (2). */
function makeConsole(write, warn) {
  const times = new Map();
  // Node keeps the group indentation and the counters on the console object under symbols
  // with these descriptions; a snapshot names them so: kept alike, they move between engines.
  const kGroupIndent = Symbol('kGroupIndent');
  const kCounts = Symbol('counts');
  const console = {};
  const hidden = (key, value, writable = true) =>
    Object.defineProperty(console, key, { value, writable, enumerable: false, configurable: true });
  hidden(kCounts, new Map());
  hidden(kGroupIndent, '');
  hidden(Symbol('kGroupIndentWidth'), INDENT_WIDTH);
  hidden(Symbol.toStringTag, 'console', false);
  const state = {
    get indent() { return console[kGroupIndent]; },
    set indent(v) { console[kGroupIndent] = v; },
    get counts() { return console[kCounts]; },
    times,
  };

  function out(fd, string) {
    const indent = state.indent;
    if (indent.length !== 0) {
      if (string.includes('\n')) string = string.replace(/\n/g, '\n' + indent);
      string = indent + string;
    }
    write(fd, string + '\n');
  }

  const methods = {
    log(...args) { out(1, formatWithOptions(NO_COLOR, ...args)); },
    warn(...args) { out(2, formatWithOptions(NO_COLOR, ...args)); },
    dir(object, options) { out(1, inspect(object, { customInspect: false, ...NO_COLOR, ...options })); },
    time(label = 'default') {
      label = `${label}`;
      if (state.times.has(label)) { warn(`Label '${label}' already exists for console.time()`); return; }
      state.times.set(label, now());
    },
    timeEnd(label = 'default') {
      label = `${label}`;
      if (timeLog(label, 'timeEnd', [])) state.times.delete(label);
    },
    timeLog(label = 'default', ...data) { timeLog(`${label}`, 'timeLog', data); },
    trace: function trace(...args) {
      const err = { name: 'Trace', message: formatWithOptions(NO_COLOR, ...args) };
      if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(err, trace);
      console.error(err.stack === undefined ? 'Trace: ' + err.message : err.stack);
    },
    assert(expression, ...args) {
      if (!expression) {
        args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
        Reflect.apply(console.warn, console, args);
      }
    },
    clear() {},
    count(label = 'default') {
      label = `${label}`;
      let count = state.counts.get(label);
      count = count === undefined ? 1 : count + 1;
      state.counts.set(label, count);
      console.log(`${label}: ${count}`);
    },
    countReset(label = 'default') {
      if (!state.counts.has(label)) { warn(`Count for '${label}' does not exist`); return; }
      state.counts.delete(`${label}`);
    },
    group(...data) {
      if (data.length > 0) Reflect.apply(console.log, console, data);
      state.indent += ' '.repeat(INDENT_WIDTH);
    },
    groupEnd() { state.indent = state.indent.slice(0, state.indent.length - INDENT_WIDTH); },
    table(tabularData, properties) { table(tabularData, properties); },
  };
  methods.debug = methods.log;
  methods.info = methods.log;
  methods.dirxml = methods.log;
  methods.error = methods.warn;
  methods.groupCollapsed = methods.group;

  for (const name of Object.keys(methods)) {
    const fn = methods[name];
    // Node's console methods are bound functions called by their own names.
    const bound = { [name]: function (...args) { return Reflect.apply(fn, console, args); } }[name];
    Object.defineProperty(bound, 'length', { value: fn.length });
    Object.defineProperty(console, name, { value: bound, writable: true, enumerable: true, configurable: true });
  }

  function now() { return typeof performance !== 'undefined' ? performance.now() : Date.now(); }

  function timeLog(label, name, data) {
    const start = state.times.get(label);
    if (start === undefined) { warn(`No such label '${label}' for console.${name}()`); return false; }
    const ms = now() - start;
    const text = ms >= 1000 ? (ms / 1000).toFixed(3) + 's' : Number(ms.toFixed(3)) + 'ms';
    console.log('%s: %s', label, text, ...data);
    return true;
  }

  const iterKey = '(iteration index)';
  const keyKey = 'Key';
  const valuesKey = 'Values';
  const indexKey = '(index)';

  function table(tabularData, properties) {
    if (properties !== undefined && !Array.isArray(properties)) {
      const err = new TypeError('The "properties" argument must be an instance of Array');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    if (tabularData === null || typeof tabularData !== 'object') return console.log(tabularData);
    const final = (k, v) => console.log(cliTable(k, v));
    const _inspect = (v) => {
      const depth = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
      return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity, ...NO_COLOR });
    };
    const getIndexArray = (length) => Array.from({ length }, (_, i) => _inspect(i));
    if (types.isMap(tabularData)) {
      const keys = [];
      const values = [];
      let length = 0;
      for (const { 0: k, 1: v } of tabularData) {
        keys.push(_inspect(k));
        values.push(_inspect(v));
        length++;
      }
      return final([iterKey, keyKey, valuesKey], [getIndexArray(length), keys, values]);
    }
    if (types.isSet(tabularData)) {
      const values = [];
      let length = 0;
      for (const v of tabularData) { values.push(_inspect(v)); length++; }
      return final([iterKey, valuesKey], [getIndexArray(length), values]);
    }
    const map = { __proto__: null };
    let hasPrimitives = false;
    const valuesKeyArray = [];
    const indexKeyArray = Object.keys(tabularData);
    for (let i = 0; i < indexKeyArray.length; i++) {
      const item = tabularData[indexKeyArray[i]];
      const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesKeyArray[i] = _inspect(item);
      } else {
        const keys = properties || Object.keys(item);
        for (const key of keys) {
          map[key] ??= [];
          if ((primitive && properties) || !Object.prototype.hasOwnProperty.call(item, key)) map[key][i] = '';
          else map[key][i] = _inspect(item[key]);
        }
      }
    }
    const keys = Object.keys(map);
    const values = Object.values(map);
    if (hasPrimitives) {
      keys.push(valuesKey);
      values.push(valuesKeyArray);
    }
    keys.unshift(indexKey);
    values.unshift(indexKeyArray);
    return final(keys, values);
  }

  return {
    console,
    getState() { return { indent: state.indent, counts: [...state.counts] }; },
    setState(st) {
      if (!st) return;
      if (typeof st.indent === 'string') state.indent = st.indent;
      if (Array.isArray(st.counts)) {
        state.counts.clear();
        for (const [k, v] of st.counts) state.counts.set(k, v);
      }
    },
  };
}

const tableChars = {
  middleMiddle: '\u2500', rowMiddle: '\u253c', topRight: '\u2510', topLeft: '\u250c', leftMiddle: '\u251c',
  topMiddle: '\u252c', bottomRight: '\u2518', bottomLeft: '\u2514', bottomMiddle: '\u2534', rightMiddle: '\u2524',
  left: '\u2502 ', right: ' \u2502', middle: ' \u2502 ',
};

function renderRow(row, columnWidths) {
  let out = tableChars.left;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    const len = getStringWidth(cell);
    const needed = (columnWidths[i] - len);
    out += cell + ' '.repeat(Math.ceil(needed));
    if (i !== row.length - 1) out += tableChars.middle;
  }
  out += tableChars.right;
  return out;
}

function cliTable(head, columns) {
  const rows = [];
  const columnWidths = head.map((h) => getStringWidth(h));
  const longestColumn = Math.max(...columns.map((a) => a.length));
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longestColumn; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = rows[j][i] = Object.prototype.hasOwnProperty.call(column, j) ? column[j] : '';
      const width = columnWidths[i] || 0;
      const counted = getStringWidth(value);
      columnWidths[i] = Math.max(width, counted);
    }
  }
  const divider = columnWidths.map((i) => tableChars.middleMiddle.repeat(i + 2));
  let result = tableChars.topLeft + divider.join(tableChars.topMiddle) + tableChars.topRight + '\n' +
    renderRow(head, columnWidths) + '\n' +
    tableChars.leftMiddle + divider.join(tableChars.rowMiddle) + tableChars.rightMiddle + '\n';
  for (const row of rows) result += `${renderRow(row, columnWidths)}\n`;
  result += tableChars.bottomLeft + divider.join(tableChars.bottomMiddle) + tableChars.bottomRight;
  return result;
}

module.exports = { makeConsole };
