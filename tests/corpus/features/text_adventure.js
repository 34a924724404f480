// Feature: a text-adventure-like state machine: rooms graph with cycles,
// an inventory Set, scripted commands fed one per callback, room handlers
// as closures that mutate the world.
const rooms = {
  hall: { desc: 'a dusty hall', exits: {}, items: ['lamp'] },
  library: { desc: 'shelves of books', exits: {}, items: ['key'] },
  vault: { desc: 'a locked vault', exits: {}, items: ['gold'], locked: true },
};
rooms.hall.exits = { north: rooms.library, east: rooms.vault };
rooms.library.exits = { south: rooms.hall };
rooms.vault.exits = { west: rooms.hall };
const player = { at: rooms.hall, inventory: new Set(), moves: 0, score: 0 };
const verbs = {
  look: () => `${player.at.desc}; items: ${player.at.items.join(',') || 'none'}; exits: ${Object.keys(player.at.exits)}`,
  go: (dir) => {
    const next = player.at.exits[dir];
    if (!next) return `no exit ${dir}`;
    if (next.locked && !player.inventory.has('key')) return 'the door is locked';
    next.locked = false;
    player.at = next;
    player.moves++;
    return `you go ${dir}`;
  },
  take: (item) => {
    const i = player.at.items.indexOf(item);
    if (i < 0) return `no ${item} here`;
    player.at.items.splice(i, 1);
    player.inventory.add(item);
    player.score += item === 'gold' ? 100 : 10;
    return `taken ${item}`;
  },
};
const script = ['look', 'take lamp', 'go east', 'go north', 'look', 'take key', 'go south', 'go east', 'look', 'take gold', 'take gold', 'go west', 'look'];
let turn = 0;
function play() {
  const [verb, arg] = script[turn++].split(' ');
  console.log(`> ${verb}${arg ? ' ' + arg : ''}:`, verbs[verb](arg), `[moves=${player.moves} score=${player.score}]`);
  if (turn < script.length) setTimeout(play, 2);
  else console.log([...player.inventory], player.at === rooms.hall, rooms.vault.exits.west.exits.east === rooms.vault);
}
setTimeout(play, 2);
