// Package: change-case (ESM-only). Converts identifiers between cases, one per
// tick, keeping a map from input to all its forms.
import { camelCase, snakeCase, pascalCase, kebabCase, constantCase, sentenceCase, split } from 'change-case';

const words = ['hello world', 'XMLHttpRequest', 'user_id2', 'foo-bar-baz', 'Version 1.2.3', 'ALL CAPS HERE', 'mixed_Case-and space', 'a', 'HTTPServer', 'iPhone15Pro'];
const table = new Map();
let i = 0;
function tick() {
  for (const w of words.slice(i, (i += 2))) {
  const forms = [camelCase(w), snakeCase(w), pascalCase(w), kebabCase(w), constantCase(w), sentenceCase(w)];
  table.set(w, forms);
  console.log(i, JSON.stringify(w), forms.join(' | '), split(w).length);
  }
  if (i < words.length) setTimeout(tick, 2);
  else console.log(table.size, camelCase('version 1.2', { mergeAmbiguousCharacters: true }));
}
setTimeout(tick, 2);
