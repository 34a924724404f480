// Feature: getters/setters in object literals with backing state in the object
// and in a closure; inspect shows [Getter/Setter].
function makeStore() {
  let secret = 0;
  return {
    _raw: [],
    get size() {
      return this._raw.length;
    },
    set add(v) {
      this._raw.push(v);
      secret += v;
    },
    get secret() {
      return secret;
    },
    get last() {
      return this._raw[this._raw.length - 1];
    },
  };
}

const store = makeStore();
const copy = { ...store }; // spread reads getters into data properties
let n = 0;
const iv = setInterval(() => {
  n++;
  store.add = n * n;
  console.log(n, store.size, store.secret, store.last, copy.size);
  if (n === 10) {
    clearInterval(iv);
    console.log(store, Object.getOwnPropertyDescriptor(store, 'size').get !== undefined);
  }
}, 3);
