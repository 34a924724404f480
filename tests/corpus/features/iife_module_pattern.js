// Feature: the IIFE module pattern: private state hidden in an immediately
// invoked function, a revealed public API, and a second IIFE module that
// depends on the first.
const Inventory = (function () {
  const items = new Map();
  let version = 0;
  function add(name, qty) {
    items.set(name, (items.get(name) || 0) + qty);
    version++;
  }
  function take(name, qty) {
    const have = items.get(name) || 0;
    if (have < qty) return false;
    items.set(name, have - qty);
    version++;
    return true;
  }
  return { add, take, report: () => `v${version} ${[...items].map(([k, v]) => k + '=' + v).join(',')}` };
})();
const Shop = ((inv) => {
  let sales = 0;
  return {
    sell(name) {
      if (inv.take(name, 1)) sales++;
      return sales;
    },
  };
})(Inventory);
const goods = ['apple', 'pear', 'fig'];
!(function seed() {
  goods.forEach((g, i) => Inventory.add(g, i + 1));
})();

let n = 0;
function tick() {
  n++;
  const sold = Shop.sell(goods[n % 3]);
  if (n % 4 === 0) Inventory.add('fig', 2);
  console.log(n, sold, Inventory.report());
  if (n < 10) setTimeout(tick, 2);
  else console.log(Inventory, Shop);
}
setTimeout(tick, 2);
