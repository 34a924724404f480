// Package: moment (CommonJS, mutable date objects). A moment advanced each tick, durations,
// a custom locale defined at start-up and formatting in it, across moves.
const moment = require('moment');

moment.defineLocale('x-test', { parentLocale: 'en', weekdays: 'Sun_Mon_Tue_Wed_Thu_Fri_Sat'.split('_').map((d) => d + 'x') });
moment.locale('en');
let m = moment.utc('2026-01-01T08:30:00Z');
const total = moment.duration(0);
const seen = [];
let tick = 0;
const timer = setInterval(() => {
  tick++;
  m = m.add(tick, 'days').add(90, 'minutes');
  total.add(tick, 'hours');
  seen.push(m.clone().locale('x-test').format('dddd YYYY-MM-DD HH:mm'));
  console.log(tick, m.toISOString(), seen[seen.length - 1], total.asHours(), m.isBefore(moment.utc('2026-01-10')),
    moment.utc('2026-02-01').diff(m, 'hours'));
  if (tick === 6) clearInterval(timer);
}, 2);
