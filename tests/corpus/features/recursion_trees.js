// Feature: recursion-built structures: a binary search tree grown one key per
// callback, traversed recursively; parent back-links form cycles.
class TreeNode {
  constructor(key, parent) {
    this.key = key;
    this.left = null;
    this.right = null;
    this.parent = parent;
  }
}
let root = null;
function insert(node, key, parent) {
  if (!node) return new TreeNode(key, parent);
  if (key < node.key) node.left = insert(node.left, key, node);
  else node.right = insert(node.right, key, node);
  return node;
}
const inorder = (node) => (node ? [...inorder(node.left), node.key, ...inorder(node.right)] : []);
const height = (node) => (node ? 1 + Math.max(height(node.left), height(node.right)) : 0);
function show(node) {
  return node ? `(${show(node.left)} ${node.key} ${show(node.right)})` : '.';
}

const keys = [50, 30, 70, 20, 40, 60, 80, 35, 45, 65, 10, 75];
let n = 0;
function tick() {
  root = insert(root, keys[n++], null);
  let leftmost = root;
  while (leftmost.left) leftmost = leftmost.left;
  console.log(n, inorder(root).join(','), 'h', height(root), show(root));
  console.log('  leftmost', leftmost.key, 'its parent', leftmost.parent && leftmost.parent.key);
  if (n < keys.length) setTimeout(tick, 2);
  else console.log(root.left);
}
setTimeout(tick, 2);
