'use strict';
// Splay tree with allocation churn: top-down splaying insert/find/remove, every node
// carrying a freshly built payload tree (arrays, objects, strings). Keys come from a
// seeded generator; each setTimeout callback replaces a slice of the tree.

function makeRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Node {
  constructor(key, value) { this.key = key; this.value = value; this.left = null; this.right = null; }
}

class SplayTree {
  constructor() { this.root = null; this.size = 0; }
  splay(key) {
    if (this.root === null) return;
    const dummy = new Node(null, null);
    let left = dummy, right = dummy, current = this.root;
    for (;;) {
      if (key < current.key) {
        if (current.left === null) break;
        if (key < current.left.key) {
          const tmp = current.left;
          current.left = tmp.right; tmp.right = current; current = tmp;
          if (current.left === null) break;
        }
        right.left = current; right = current; current = current.left;
      } else if (key > current.key) {
        if (current.right === null) break;
        if (key > current.right.key) {
          const tmp = current.right;
          current.right = tmp.left; tmp.left = current; current = tmp;
          if (current.right === null) break;
        }
        left.right = current; left = current; current = current.right;
      } else break;
    }
    left.right = current.left; right.left = current.right;
    current.left = dummy.right; current.right = dummy.left;
    this.root = current;
  }
  insert(key, value) {
    if (this.root === null) { this.root = new Node(key, value); this.size++; return; }
    this.splay(key);
    if (this.root.key === key) return;
    const node = new Node(key, value);
    if (key > this.root.key) { node.left = this.root; node.right = this.root.right; this.root.right = null; }
    else { node.right = this.root; node.left = this.root.left; this.root.left = null; }
    this.root = node;
    this.size++;
  }
  find(key) {
    if (this.root === null) return null;
    this.splay(key);
    return this.root.key === key ? this.root : null;
  }
  remove(key) {
    this.splay(key);
    if (this.root === null || this.root.key !== key) return null;
    const removed = this.root;
    if (this.root.left === null) this.root = this.root.right;
    else {
      const right = this.root.right;
      this.root = this.root.left;
      this.splay(key);
      this.root.right = right;
    }
    this.size--;
    return removed;
  }
  greatestLessThan(key) {
    if (this.root === null) return null;
    this.splay(key);
    if (this.root.key < key) return this.root;
    if (this.root.left === null) return null;
    let n = this.root.left;
    while (n.right !== null) n = n.right;
    return n;
  }
}

function payload(depth, key) {
  if (depth === 0) return { array: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], string: 'String for key ' + key + ' in leaf node' };
  return { left: payload(depth - 1, key), right: payload(depth - 1, key) };
}

const TREE_SIZE = 8000, MODS_PER_TICK = 14000, TICKS = 10, PAYLOAD_DEPTH = 5;
const rand = makeRandom(42);
const tree = new SplayTree();
const nextKey = () => {
  let key;
  do key = Math.floor(rand() * 1e9); while (tree.find(key) !== null);
  return key;
};
for (let i = 0; i < TREE_SIZE; i++) tree.insert(nextKey(), payload(PAYLOAD_DEPTH, i));

let tick = 0, checksum = 0;
function churn() {
  for (let i = 0; i < MODS_PER_TICK; i++) {
    const key = nextKey();
    tree.insert(key, payload(PAYLOAD_DEPTH, key));
    const victim = tree.greatestLessThan(key) || tree.find(key);
    const gone = tree.remove(victim.key);
    checksum = (checksum + (gone.key % 1000) + gone.value.left.right.left.left.left.array[3]) % 1000000007;
  }
  if (++tick < TICKS) setTimeout(churn, 0);
  else console.log('splay checksum', checksum, tree.size);
}
setTimeout(churn, 0);
