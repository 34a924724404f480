// a module that awaits at top level: its importers wait for it
import { setTimeout as sleep } from 'node:timers/promises';
export let ready = false;
await sleep(15);
ready = true;
export const config = { retries: 3, at: 'loaded' };
