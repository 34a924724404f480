// Feature: a doubly linked list built and edited across callbacks; nodes are
// shared between the list and an index Map (identity must be kept).
class ListNode {
  constructor(value) {
    this.value = value;
    this.prev = null;
    this.next = null;
  }
}
class LinkedList {
  constructor() {
    this.head = null;
    this.tail = null;
    this.size = 0;
  }
  push(value) {
    const node = new ListNode(value);
    if (!this.tail) this.head = this.tail = node;
    else { node.prev = this.tail; this.tail.next = node; this.tail = node; }
    this.size++;
    return node;
  }
  remove(node) {
    if (node.prev) node.prev.next = node.next; else this.head = node.next;
    if (node.next) node.next.prev = node.prev; else this.tail = node.prev;
    node.prev = node.next = null;
    this.size--;
  }
  toArray() {
    const out = [];
    for (let c = this.head; c; c = c.next) out.push(c.value);
    return out;
  }
  backwards() {
    const out = [];
    for (let c = this.tail; c; c = c.prev) out.push(c.value);
    return out.join('<');
  }
}
const list = new LinkedList();
const index = new Map();
let n = 0;
function tick() {
  n++;
  index.set(n, list.push(`v${n}`));
  if (n % 3 === 0) {
    const victim = index.get(n - 1);
    list.remove(victim);
    index.delete(n - 1);
  }
  console.log(n, list.toArray().join('>'), list.backwards(), list.size, list.head === index.get(1));
  if (n < 12) setTimeout(tick, 2);
  else console.log(list.head.next);
}
setTimeout(tick, 2);
