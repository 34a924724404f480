// Feature: a string builder class accumulating chunks (array + join), with
// indentation state and a fluent API, building a document across callbacks.
class StringBuilder {
  constructor(indentUnit = '  ') {
    this.chunks = [];
    this.level = 0;
    this.unit = indentUnit;
  }
  line(text) {
    this.chunks.push(this.unit.repeat(this.level) + text + '\n');
    return this;
  }
  open(tag) {
    this.line(`<${tag}>`);
    this.level++;
    return this;
  }
  close(tag) {
    this.level--;
    return this.line(`</${tag}>`);
  }
  toString() {
    return this.chunks.join('');
  }
}
const sb = new StringBuilder();
sb.open('html').open('body');
const sections = ['intro', 'usage', 'api', 'faq'];
let n = 0;
function tick() {
  const s = sections[Math.floor(n / 3)];
  const phase = n % 3;
  n++;
  if (phase === 0) sb.open(`section id="${s}"`);
  else if (phase === 1) sb.line(`<p>${s} paragraph ${'·'.repeat(n)}</p>`);
  else sb.close('section');
  console.log(n, sb.chunks.length, sb.level, sb.toString().length);
  if (n < sections.length * 3) setTimeout(tick, 2);
  else {
    sb.close('body').close('html');
    process.stdout.write(sb.toString());
  }
}
setTimeout(tick, 2);
