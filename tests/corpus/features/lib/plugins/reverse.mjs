// an ES-module plugin with a live binding
export let calls = 0;
export const name = 'reverse';
export function apply(s) { calls += 1; return [...s].reverse().join(''); }
