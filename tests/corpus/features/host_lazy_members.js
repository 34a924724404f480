// Classes a Node built-in module defines lazily behind a getter (events'
// EventEmitterAsyncResource, fs.promises, buffer.Blob) held by the program: CoffeeScript's
// `extend` (xml2js) copies every enumerable own property of EventEmitter onto a subclass,
// reading those getters. The snapshot names them by their module, never carries them.
const EventEmitter = require('events');
const fs = require('fs');
const buffer = require('buffer');

const hasProp = {}.hasOwnProperty;
function extend(child, parent) {
  for (const key in parent) if (hasProp.call(parent, key)) child[key] = parent[key];
  function Ctor() { this.constructor = child; }
  Ctor.prototype = parent.prototype;
  child.prototype = new Ctor();
  child.__super__ = parent.prototype;
  return child;
}

const Parser = extend(function Parser(name) { EventEmitter.call(this); this.name = name; this.seen = []; }, EventEmitter);
const kept = { promises: fs.promises, Blob: buffer.Blob, ReadStream: fs.ReadStream };
const p = new Parser('p');
p.on('item', (x) => p.seen.push(x));

let tick = 0;
const timer = setInterval(() => {
  tick++;
  p.emit('item', tick * 2);
  console.log(tick, p.seen.join(','), typeof Parser.EventEmitterAsyncResource,
    Parser.EventEmitterAsyncResource === EventEmitter.EventEmitterAsyncResource,
    kept.promises === fs.promises, kept.Blob === buffer.Blob, new kept.Blob(['ab', 'c']).size,
    kept.ReadStream === fs.ReadStream);
  if (tick === 5) clearInterval(timer);
}, 2);
