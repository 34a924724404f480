// Feature: constructor functions with prototype methods, inheritance through
// Object.create of the parent prototype, instanceof after a move.
function Animal(name, sound) {
  this.name = name;
  this.sound = sound;
  this.calls = 0;
}
Animal.prototype.speak = function () {
  this.calls++;
  return `${this.name} says ${this.sound} (${this.calls})`;
};
Animal.prototype.kingdom = 'animalia';

function Dog(name) {
  Animal.call(this, name, 'woof');
  this.tricks = [];
}
Dog.prototype = Object.create(Animal.prototype);
Dog.prototype.constructor = Dog;
Dog.prototype.learn = function (trick) {
  this.tricks.push(trick);
  return this;
};

const pets = [new Animal('cat', 'meow'), new Dog('rex'), new Dog('fido')];
const tricks = ['sit', 'roll', 'beg', 'play dead'];
let n = 0;
function tick() {
  n++;
  const pet = pets[n % pets.length];
  console.log(n, pet.speak(), pet instanceof Dog, pet instanceof Animal, pet.kingdom);
  if (pet instanceof Dog) pet.learn(tricks[n % tricks.length]);
  if (n === 6) Animal.prototype.kingdom = 'changed';
  if (n < 10) setTimeout(tick, 2);
  else console.log(pets, Object.getPrototypeOf(pets[1]) === Dog.prototype, pets[2].constructor.name);
}
setTimeout(tick, 2);
