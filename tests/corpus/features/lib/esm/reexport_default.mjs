export { default } from './mixed.mjs';
export { named as y } from './mixed.mjs';
