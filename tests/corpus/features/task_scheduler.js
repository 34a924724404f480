// Feature: a scheduler/queue of tasks: tasks are closures with priorities and
// retry counts in a queue; one task runs per callback; tasks enqueue tasks.
const queue = [];
const done = [];
let seq = 0;
function enqueue(name, fn, priority = 0, retries = 0) {
  queue.push({ id: ++seq, name, fn, priority, retries });
  queue.sort((a, b) => b.priority - a.priority || a.id - b.id);
}
let flaky = 0;
enqueue('hello', () => 'hi');
enqueue('spawn', () => { enqueue('child-low', () => 'low', -1); enqueue('child-high', () => 'high', 5); return 'spawned'; }, 1);
enqueue('flaky', () => { if (++flaky < 3) throw new Error(`flaky attempt ${flaky}`); return `ok after ${flaky}`; }, 0, 3);
enqueue('sum', () => done.reduce((s, d) => s + d.id, 0), -5);

function runOne() {
  const task = queue.shift();
  let result;
  try {
    result = task.fn();
    done.push({ id: task.id, name: task.name, result });
  } catch (e) {
    result = `error: ${e.message}`;
    if (task.retries > 0) enqueue(task.name, task.fn, task.priority - 1, task.retries - 1);
  }
  console.log(`run #${task.id} ${task.name} p=${task.priority} -> ${result}; queue: ${queue.map((t) => t.name).join(',')}`);
  if (queue.length) setTimeout(runOne, 2);
  else console.log(done);
}
setTimeout(runOne, 2);
