// Feature: sloppy-mode implicit globals (assignment to undeclared names),
// explicit globalThis properties, and globals read back in later callbacks.
globalThis.appName = 'things-test';
globalThis.config = { level: 1 };
implicitCounter = 0; // implicit global (sloppy mode)

function bump() {
  implicitCounter++;
  laterGlobal = (typeof laterGlobal === 'undefined' ? 0 : laterGlobal) + 10; // created on first call
  return implicitCounter;
}

let n = 0;
function tick() {
  n++;
  bump();
  config.level *= 2;
  console.log(n, implicitCounter, laterGlobal, globalThis.implicitCounter === implicitCounter, appName, config);
  console.log('  ', 'laterGlobal' in globalThis, Object.getOwnPropertyDescriptor(globalThis, 'appName').enumerable);
  if (n === 5) delete globalThis.laterGlobal;
  if (n < 9) setTimeout(tick, 3);
  else console.log(typeof laterGlobal, globalThis.config === config);
}
setTimeout(tick, 3);
