export default (1, 'seq');
export var named = 'n1';
export function* gen() { yield 1; yield named; }
export async function* agen() { for (let i = 0; i < 3; i++) { await null; yield i; } }
export class Klass { static s = named + '!'; v = import.meta.url.slice(-5); }
export const obj = { m() { return 'method ' + named; } };
export function rename(v) { named = v; }
