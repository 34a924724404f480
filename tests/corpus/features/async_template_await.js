// Feature: await inside template literals and tagged templates, and in the
// middle of string concatenation, with locals read before and after.
const later = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const tag = (strings, ...vals) => strings.raw.join('|') + '#' + vals.join(',');
async function main() {
  let count = 1;
  const s1 = `count ${count} then ${await later(3, 'x')} and ${count + (await later(2, 5))}`;
  count++;
  const s2 = tag`a${await later(2, 1)}b${count}c${await later(2, 3)}`;
  const s3 = 'pre-' + (await later(1, 'mid')) + '-' + count + '-post';
  return [s1, s2, s3];
}
main().then((r) => r.forEach((s) => console.log(s)));
