#!/usr/bin/env node
// acorn as the reference oracle for the parser conformance suite.
//
// Reads one JSON request per stdin line: {"id", "path"?, "source"?, "sourceType": "script"|"module"|"auto"}
// and writes one JSON line per request: {"id", "ok", "sourceType", "program", "comments"} or
// {"id", "ok": false, "error": {message, line, column, offset}}. One node process serves a whole
// batch (streaming), so the Python side pays node's start-up once.
//
// Offsets and columns are converted from UTF-16 units (acorn) to code points (Python string
// indices), so the Python side can compare trees field by field. Values JSON cannot carry are
// encoded: a RegExp or BigInt literal value becomes null (ESTree allows null where the host cannot
// represent the value; the plugins do the same), non-finite numbers become {"$nonfinite": "Infinity"}.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const acorn = require(path.join(__dirname, "..", "node_modules", "acorn"));

function codePointIndex(source) {
  // u16 index -> code point index; null when the source is all BMP (identity).
  let astral = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) { astral = true; break; }
  }
  if (!astral) return null;
  const map = new Int32Array(source.length + 1);
  let cp = 0;
  for (let i = 0; i < source.length; i++) {
    map[i] = cp;
    const c = source.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < source.length) {
      const d = source.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { map[i + 1] = cp; i++; }
    }
    cp++;
  }
  map[source.length] = cp;
  return map;
}

function convert(value, map) {
  if (Array.isArray(value)) return value.map((v) => convert(v, map));
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return null;
    if (typeof value === "number" && !Number.isFinite(value)) return { $nonfinite: String(value) };
    return value;
  }
  if (value instanceof RegExp) return null;
  const out = {};
  for (const key of Object.keys(value)) out[key] = convert(value[key], map);
  if (map && typeof value.start === "number" && typeof value.end === "number") {
    out.start = map[value.start];
    out.end = map[value.end];
    if (out.range) out.range = [out.start, out.end];
    if (value.loc) {
      out.loc = {
        start: { line: value.loc.start.line, column: map[value.start] - map[value.start - value.loc.start.column] },
        end: { line: value.loc.end.line, column: map[value.end] - map[value.end - value.loc.end.column] },
      };
    }
  }
  return out;
}

function parse(source, sourceType) {
  const comments = [];
  const program = acorn.parse(source, {
    ecmaVersion: "latest", sourceType, locations: true, ranges: true, onComment: comments,
  });
  return { program, comments };
}

function handle(req) {
  const source = req.source !== undefined ? req.source : fs.readFileSync(req.path, "utf8");
  const map = codePointIndex(source);
  const types = req.sourceType === "auto" ? ["script", "module"] : [req.sourceType || "script"];
  let firstError = null;
  for (const sourceType of types) {
    try {
      const { program, comments } = parse(source, sourceType);
      return {
        id: req.id, ok: true, sourceType,
        program: convert(program, map),
        comments: comments.map((c) => ({
          type: c.type, value: c.value,
          start: map ? map[c.start] : c.start, end: map ? map[c.end] : c.end,
        })),
      };
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      if (!firstError) {
        const pos = e.pos === undefined ? 0 : e.pos;
        const loc = e.loc || { line: 0, column: 0 };
        firstError = {
          message: e.message, line: loc.line,
          column: map ? map[pos] - map[pos - loc.column] : loc.column,
          offset: map ? map[pos] : pos,
        };
      }
    }
  }
  return { id: req.id, ok: false, error: firstError };
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const req = JSON.parse(line);
  let out;
  try {
    out = handle(req);
  } catch (e) {
    out = { id: req.id, ok: false, error: { message: "internal: " + e.message, line: 0, column: 0, offset: 0 } };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
