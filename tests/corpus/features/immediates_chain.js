// Feature: a chain of setImmediate callbacks (no timers pending meanwhile),
// each one extending a string and an array.
let text = '';
const lengths = [];
let n = 0;
function step(letter) {
  n++;
  text += letter.repeat(n);
  lengths.push(text.length);
  console.log(n, letter, text.length, text.slice(-5));
  if (n < 15) setImmediate(step, String.fromCharCode(letter.charCodeAt(0) + 1));
  else console.log(lengths);
}
setImmediate(step, 'a');
