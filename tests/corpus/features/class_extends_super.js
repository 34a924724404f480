// Feature: ES classes with extends, super() constructor calls and super.method().
class Vehicle {
  constructor(wheels) {
    this.wheels = wheels;
    this.odometer = 0;
  }
  drive(km) {
    this.odometer += km;
    return `${this.constructor.name} drove ${km}km`;
  }
  toString() {
    return `${this.constructor.name}(${this.wheels} wheels, ${this.odometer}km)`;
  }
}
class Car extends Vehicle {
  constructor(brand) {
    super(4);
    this.brand = brand;
  }
  drive(km) {
    return super.drive(km * 2) + ' (car doubles)';
  }
}
class SportsCar extends Car {
  drive(km) {
    const base = super.drive(km);
    this.odometer += 1;
    return `${base} +1 turbo`;
  }
}

const fleet = [new Vehicle(2), new Car('volvo'), new SportsCar('ferrari')];
let n = 0;
const iv = setInterval(() => {
  n++;
  for (const v of fleet) console.log(n, v.drive(n), String(v));
  if (n === 8) {
    clearInterval(iv);
    console.log(fleet, SportsCar, Object.getPrototypeOf(SportsCar) === Car);
  }
}, 4);
