// Package: csv-parse (CommonJS; its streaming parser is a Transform of Node's stream module).
// Rows arrive a few bytes at a time from a timer, a quoted field with a newline is split
// across writes; records are read on 'readable', a second parser is piped through a
// Transform that totals a column, and a malformed row ends a third one with its error.
const { parse } = require('csv-parse');
const { Transform } = require('stream');

const text = 'name,qty,note\napple,3,"red, crisp"\npear,5,"multi\nline"\nfig,2,plain\nplum,7,""\n';

function dribble(target, data, size, done) {
  let at = 0;
  const t = setInterval(() => {
    target.write(data.slice(at, at + size));
    at += size;
    if (at >= data.length) { clearInterval(t); target.end(); if (done) done(); }
  }, 1);
}

function first() {
  return new Promise((resolve) => {
    const rows = [];
    const parser = parse({ columns: true, trim: true });
    parser.on('readable', () => {
      let r;
      while ((r = parser.read()) !== null) rows.push(r);
    });
    parser.on('end', () => {
      console.log('records', JSON.stringify(rows), 'lines', parser.info.lines);
      resolve();
    });
    dribble(parser, text, 5);
  });
}

function second() {
  return new Promise((resolve) => {
    const parser = parse({ from_line: 2, cast: (v, ctx) => (ctx.index === 1 ? Number(v) : v) });
    let total = 0;
    const totals = new Transform({
      objectMode: true,
      transform(row, enc, cb) {
        total += row[1];
        setTimeout(() => cb(null, `${row[0]}=${row[1]} (${total})`), 1);
      },
    });
    const out = [];
    parser.pipe(totals).on('data', (line) => out.push(line)).on('end', () => {
      console.log('totals', out.join('; '));
      resolve();
    });
    dribble(parser, text, 9);
  });
}

function third() {
  return new Promise((resolve) => {
    const parser = parse({ relax_column_count: false });
    const rows = [];
    parser.on('data', (r) => rows.push(r.join('|')));
    parser.on('error', (err) => {
      console.log('error', err.code, err.message.split('\n')[0], 'after', rows.length, 'rows');
      resolve();
    });
    dribble(parser, 'a,b\n1,2\n3,4,5\n6,7\n', 4);
  });
}

first().then(second).then(third).then(() => console.log('done'));
