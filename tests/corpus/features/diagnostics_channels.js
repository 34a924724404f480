// Feature: node's diagnostics_channel objects held by the program (lru-cache 11
// makes a TracingChannel at load): a channel moves as its name (the module
// keeps one per name) with its subscribers, a tracing channel as its name and
// its five channels; identity with dc.channel(name) is kept. On QuickJS and V8
// the module is jsruntime/qjs_diagnostics_channel.js, shaped as node's.
const dc = require('diagnostics_channel');
const holder = { tracing: dc.tracingChannel('cache'), plain: dc.channel('plain'), quiet: dc.channel('quiet') };
const seen = [];
holder.plain.subscribe((msg, name) => seen.push(name + ':' + msg.n));
let n = 0;
const iv = setInterval(() => {
  n++;
  holder.plain.publish({ n });
  holder.tracing.traceSync(() => n * 2, { n });
  if (n === 2) holder.tracing.subscribe({ start: (m) => seen.push('start:' + m.n), end: (m) => seen.push('end:' + m.n) });
  console.log(n, seen.join(' '), holder.plain.hasSubscribers, holder.quiet.hasSubscribers, holder.tracing.hasSubscribers,
    holder.plain === dc.channel('plain'), holder.tracing.start === dc.channel('tracing:cache:start'));
  if (n === 5) clearInterval(iv);
}, 3);
