// Package: winston (CommonJS; its transports are readable-stream Writables, whose modules
// keep util.debuglog loggers). A logger with a custom format, a child logger with default
// metadata, levels changed at run time and a second, in-memory transport keep logging
// across moves.
const winston = require('winston');
const Transport = require('winston-transport');

class MemoryTransport extends Transport {
  constructor(opts) { super(opts); this.lines = []; }
  log(info, callback) { this.lines.push(`${info.level}:${info.message}`); callback(); }
}

const memory = new MemoryTransport({ level: 'debug' });
const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(
    winston.format.label({ label: 'app' }),
    winston.format.printf((i) => `${i.label} ${i.level} ${i.service || '-'}: ${i.message}`)),
  transports: [new winston.transports.Console(), memory],
});
const child = logger.child({ service: 'worker' });
let tick = 0;
const timer = setInterval(() => {
  tick++;
  logger.info(`tick ${tick}`);
  child.warn(`child tick ${tick}`);
  logger.debug(`debug ${tick}`); // shown once the level drops
  if (tick === 3) logger.level = 'debug';
  if (tick === 5) {
    clearInterval(timer);
    console.log('memory', memory.lines.length, memory.lines.slice(-3).join(' | '));
  }
}, 5);
