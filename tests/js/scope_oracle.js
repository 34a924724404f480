#!/usr/bin/env node
// Reference scope analysis for tests/test_scope*.py: acorn 8 + eslint-scope 8.
//
// stdin:  a JSON list of requests {id, source | path, sourceType: "script"|"module"|"commonjs",
//         ast: bool (default true)}.
// stdout: one JSON line per request, in order:
//         {id, ok: true, ast?: <acorn Program>, dump: <normalized scope dump>}
//         {id, ok: false, error: "<message>"}
//
// "commonjs" is eslint-scope's {nodejsScope: true, sourceType: "script"}: a function scope
// under the global scope, which is how Things treats every CommonJS file.
//
// The dump is compared field by field with thingscore.instrument.scope_debug.dump(); keep
// the two in step. Ranges are acorn's (UTF-16 offsets); the Python side analyses the very
// same acorn tree, so the offsets agree even for non-ASCII sources.
"use strict";

const fs = require("fs");
const path = require("path");

const NODE_MODULES = path.join(__dirname, "..", "node_modules");
const acorn = require(path.join(NODE_MODULES, "acorn"));
const eslintScope = require(path.join(NODE_MODULES, "eslint-scope", "dist", "eslint-scope.cjs"));

function parse(source, sourceType) {
    return acorn.parse(source, {
        ecmaVersion: "latest",
        sourceType: sourceType === "module" ? "module" : "script",
        ranges: true,
        allowHashBang: true,
        allowReturnOutsideFunction: sourceType === "commonjs",
    });
}

function analyze(ast, sourceType) {
    const options = { ecmaVersion: 2025, impliedStrict: false };
    if (sourceType === "commonjs") {
        options.nodejsScope = true;
        options.sourceType = "script";
    } else {
        options.sourceType = sourceType;
    }
    return eslintScope.analyze(ast, options);
}

function flagOf(ref) {
    if (ref.isReadWrite()) return "rw";
    if (ref.isWrite()) return "w";
    return "r";
}

function dump(manager) {
    const index = new Map();
    manager.scopes.forEach((s, i) => index.set(s, i));
    const varIndex = (v) => [index.get(v.scope), v.scope.variables.indexOf(v)];
    const dumpVar = (v) => ({
        name: v.name,
        defs: v.defs.map((d) => [d.type, d.name.range, d.kind || null]),
        ids: v.identifiers.map((id) => id.range),
    });
    return manager.scopes.map((s) => {
        const out = {
            type: s.type,
            range: s.block.range,
            upper: s.upper ? index.get(s.upper) : null,
            variableScope: index.get(s.variableScope),
            isStrict: s.isStrict,
            dynamic: s.dynamic,
            evalHere: s.directCallToEvalScope,
            thisFound: s.thisFound,
            variables: s.variables.map(dumpVar),
            references: s.references.map((r) => ({
                id: r.identifier.range,
                name: r.identifier.name,
                flag: flagOf(r),
                init: r.isWrite() ? r.init : null,
                partial: r.isWrite() ? r.partial : null,
                writeExpr: r.isWrite() && r.writeExpr ? r.writeExpr.range : null,
                tainted: r.tainted,
                resolved: r.resolved ? varIndex(r.resolved) : null,
            })),
            through: s.through.map((r) => r.identifier.range),
        };
        if (s.type === "global") {
            out.implicit = s.implicit.variables.map(dumpVar);
        }
        return out;
    });
}

function bigintSafe(key, value) {
    if (typeof value === "bigint") return value.toString();
    if (value instanceof RegExp) return {};
    return value;
}

function main() {
    const requests = JSON.parse(fs.readFileSync(0, "utf8"));
    for (const req of requests) {
        let line;
        try {
            const source = req.source !== undefined ? req.source : fs.readFileSync(req.path, "utf8");
            const sourceType = req.sourceType || "commonjs";
            const ast = parse(source, sourceType);
            const manager = analyze(ast, sourceType);
            const result = { id: req.id, ok: true, dump: dump(manager) };
            if (req.ast !== false) result.ast = ast;
            line = JSON.stringify(result, bigintSafe);
        } catch (e) {
            line = JSON.stringify({ id: req.id, ok: false, error: String(e && e.message) });
        }
        process.stdout.write(line + "\n");
    }
}

main();
