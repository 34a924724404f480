// Imported by esm_import_call_asi.mjs: functions and a tag it calls at statement starts.
export const seen = [];
export function record(x) { seen.push(x); return x; }
export function tag(strings, ...values) { seen.push(strings.raw.join('|') + values.join(',')); return tag; }
