// Feature: timers created inside timers forming a tree: each node schedules
// two children. Delays are chosen so that any two nodes not causally ordered
// fire at least ~37 ms apart (b-children weigh 160/80/40 ms by depth).
const visited = [];
function node(path, depth) {
  visited.push(path);
  console.log('visit', path, 'depth', depth, 'count', visited.length);
  if (depth < 3) {
    setTimeout(node, 1, path + '.a', depth + 1);
    setTimeout(node, 1 + 40 * 2 ** (2 - depth), path + '.b', depth + 1);
  }
  if (depth === 0) setTimeout(() => console.log('all visited:', visited.join(' ')), 400);
}
setTimeout(node, 2, 'root', 0);
