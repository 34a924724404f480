// import.meta is the module's own object: what a program puts on it (and rewrites) moves too
import.meta.config = { retries: 3, seen: [] };
import.meta.count = 0;
import.meta.bump = function bump(by) { this.count += by; return this.count; };
const meta = import.meta;
meta.url = meta.url.replace(/^file:\/\/.*\//, 'mem://');
Object.defineProperty(meta, 'hidden', { value: 'kept', enumerable: false, writable: false });
let n = 0;
const t = setInterval(() => {
  n++;
  meta.config.seen.push(n);
  console.log(n, import.meta.bump(n), import.meta.url, Object.keys(import.meta).join(','),
    import.meta.hidden, meta.config.seen.join(' '), Object.getPrototypeOf(import.meta));
  if (n === 3) delete import.meta.dirname;
  if (n === 5) { Object.freeze(import.meta.config); clearInterval(t); console.log(Object.isFrozen(meta.config), 'dirname' in meta); }
}, 4);
