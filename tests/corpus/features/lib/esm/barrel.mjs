// re-exports of every form
export * from './shapes.mjs';
export * as counterNs from './counter.mjs';
export { inc as bump, count as current, default as describe } from './counter.mjs';
export { default as Square } from './shapes.mjs';
import { LIMIT } from './counter.mjs';
export { LIMIT };
export default (a, b) => a + b;
