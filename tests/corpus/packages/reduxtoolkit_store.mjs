// Package: @reduxjs/toolkit (ESM; immer inside). A store of two slices made with
// createSlice, a subscriber, an entity adapter and a memoized selector live across moves.
import { configureStore, createSlice, createEntityAdapter, createSelector } from '@reduxjs/toolkit';

const books = createEntityAdapter({ sortComparer: (a, b) => a.title.localeCompare(b.title) });
const booksSlice = createSlice({
  name: 'books', initialState: books.getInitialState(),
  reducers: { added: books.addOne, renamed: (s, a) => { s.entities[a.payload.id].title = a.payload.title; } },
});
const counter = createSlice({ name: 'counter', initialState: { n: 0, log: [] },
  reducers: { inc: (s, a) => { s.n += a.payload; s.log.push(s.n); } } });
const store = configureStore({ reducer: { books: booksSlice.reducer, counter: counter.reducer } });
let notified = 0;
store.subscribe(() => { notified++; });
const selectTitles = createSelector([(s) => s.books], (b) => books.getSelectors().selectAll(b).map((x) => x.title).join('|'));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  store.dispatch(counter.actions.inc(tick));
  store.dispatch(booksSlice.actions.added({ id: tick, title: 'vol ' + (10 - tick) }));
  if (tick === 3) store.dispatch(booksSlice.actions.renamed({ id: 1, title: 'a first' }));
  console.log(tick, JSON.stringify(store.getState().counter), selectTitles(store.getState()), notified);
  if (tick === 5) clearInterval(timer);
}, 2);
