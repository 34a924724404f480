// Feature: timers created inside timers forming a tree: each node schedules
// two children. Delays are chosen so that any two nodes not causally ordered
// fire at least ~77 ms apart (b-children weigh 320/160/80 ms by depth), so that a
// loaded machine does not reorder them.
const visited = [];
function node(path, depth) {
  visited.push(path);
  console.log('visit', path, 'depth', depth, 'count', visited.length);
  if (depth < 3) {
    setTimeout(node, 1, path + '.a', depth + 1);
    setTimeout(node, 1 + 80 * 2 ** (2 - depth), path + '.b', depth + 1);
  }
  if (depth === 0) setTimeout(() => console.log('all visited:', visited.join(' ')), 800);
}
setTimeout(node, 2, 'root', 0);
