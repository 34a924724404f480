// Package: mobx (observable state; its observable arrays, maps and objects are proxies). A
// store class made observable, computed values, an autorun and a reaction that keep logs,
// an observable map: all reactions keep firing across moves.
const { makeAutoObservable, autorun, reaction, observable, runInAction } = require('mobx');

class TodoStore {
  todos = [];
  filter = 'all';
  constructor() { makeAutoObservable(this); }
  get done() { return this.todos.filter((t) => t.done).length; }
  get visible() { return this.todos.filter((t) => this.filter === 'all' || t.done === (this.filter === 'done')); }
  add(title, done) { this.todos.push({ title, done }); }
  toggle(i) { this.todos[i].done = !this.todos[i].done; }
}

const store = new TodoStore();
const tags = observable.map();
const doneLog = [];
autorun(() => doneLog.push(store.done));
reaction(() => store.todos.length, (n) => console.log('  reaction: length', n));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  store.add('task ' + tick, tick % 2 === 0);
  if (tick % 3 === 0) store.toggle(0);
  runInAction(() => tags.set('t' + (tick % 2), tick));
  store.filter = tick % 2 ? 'all' : 'done';
  console.log(tick, store.done, store.visible.map((t) => t.title).join('|'), doneLog.join(','), JSON.stringify([...tags]));
  if (tick === 6) clearInterval(timer);
}, 2);
