// Package: rxjs. A Subject with several subscribers through pipes (scan,
// bufferCount, distinctUntilChanged, filter) and a BehaviorSubject, pushed
// from a timer; the subscriptions' state moves with the program.
const { Subject, BehaviorSubject, combineLatest } = require('rxjs');
const { scan, map, bufferCount, distinctUntilChanged, filter, take } = require('rxjs/operators');

const src = new Subject();
const mode = new BehaviorSubject('slow');
src.pipe(scan((acc, v) => acc + v, 0)).subscribe((s) => console.log('  sum', s));
src.pipe(bufferCount(3)).subscribe((b) => console.log('  batch', b.join('+')));
src.pipe(map((v) => v % 3), distinctUntilChanged()).subscribe((r) => console.log('  rem', r));
combineLatest([src.pipe(filter((v) => v % 2 === 0)), mode]).pipe(take(5)).subscribe({
  next: ([v, m]) => console.log('  even/mode', v, m),
  complete: () => console.log('  combine complete'),
});
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('tick', n);
  src.next(n * n % 11);
  if (n === 4) mode.next('fast');
  if (n === 7) {
    clearInterval(iv);
    src.complete();
    console.log('closed', src.closed, mode.getValue());
  }
}, 4);
